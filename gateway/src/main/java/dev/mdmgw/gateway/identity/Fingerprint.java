package dev.mdmgw.gateway.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** The SHA-256 of a certificate's DER: how bindings, caches and logs name a certificate. */
public final class Fingerprint {
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] sha256;
    private final int hash;

    private Fingerprint(byte[] sha256) {
        this.sha256 = sha256;
        this.hash = Arrays.hashCode(sha256);
    }

    public static Fingerprint of(byte[] der) {
        try {
            return new Fingerprint(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static Fingerprint ofSha256(byte[] sha256) {
        if (sha256.length != 32) {
            throw new IllegalArgumentException("a SHA-256 has 32 bytes, not " + sha256.length);
        }
        return new Fingerprint(sha256.clone());
    }

    public byte[] bytes() {
        return sha256.clone();
    }

    public String hex() {
        return HEX.formatHex(sha256);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint f && Arrays.equals(sha256, f.sha256);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return hex();
    }
}
