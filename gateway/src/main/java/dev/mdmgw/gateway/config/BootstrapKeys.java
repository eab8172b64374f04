package dev.mdmgw.gateway.config;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bootstrap-token escrow keys of {@code MDMGW_BOOTSTRAP_KEYS}: {@code id:base64(32 bytes)},
 * comma-separated. The first seals new escrows; every one of them opens what it sealed, so a key
 * is retired only after a rotation re-sealed its rows.
 */
public record BootstrapKeys(List<Key> keys) {

    public record Key(String id, SecretKey secret) {
        @Override
        public String toString() {
            return "Key[id=" + id + ", secret=<redacted>]";
        }
    }

    public BootstrapKeys {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("MDMGW_BOOTSTRAP_KEYS: no key");
        }
        keys = List.copyOf(keys);
    }

    public Key current() {
        return keys.get(0);
    }

    /** Null when no listed key has that id. */
    public Key byId(String id) {
        for (Key k : keys) {
            if (k.id().equals(id)) {
                return k;
            }
        }
        return null;
    }

    public static BootstrapKeys parse(String value) {
        List<Key> keys = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (String entry : value.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int colon = e.indexOf(':');
            String id = colon < 0 ? "" : e.substring(0, colon).trim();
            if (id.isEmpty() || !id.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("MDMGW_BOOTSTRAP_KEYS: each key is id:base64(32 bytes), "
                        + "the id of letters, digits, '.', '_' or '-'");
            }
            byte[] secret;
            try {
                secret = Base64.getDecoder().decode(e.substring(colon + 1).trim());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("MDMGW_BOOTSTRAP_KEYS: key " + id + " is not base64");
            }
            if (secret.length != 32) {
                throw new IllegalArgumentException("MDMGW_BOOTSTRAP_KEYS: key " + id + " has " + secret.length
                        + " bytes, AES-256 needs 32");
            }
            if (!ids.add(id)) {
                throw new IllegalArgumentException("MDMGW_BOOTSTRAP_KEYS: key id " + id + " appears twice");
            }
            keys.add(new Key(id, new SecretKeySpec(secret, "AES")));
        }
        return new BootstrapKeys(keys);
    }

    @Override
    public String toString() {
        return "BootstrapKeys" + keys.stream().map(Key::id).toList();
    }
}
