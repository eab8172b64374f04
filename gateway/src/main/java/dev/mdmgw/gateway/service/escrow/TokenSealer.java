package dev.mdmgw.gateway.service.escrow;

import dev.mdmgw.gateway.config.BootstrapKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM for escrowed bootstrap tokens: {@code nonce(12) || ciphertext || tag(16)}, with the
 * device id and key id as associated data, so a sealed token copied onto another device's row, or
 * relabelled with another key id, fails to open instead of unlocking the wrong Mac.
 */
public final class TokenSealer {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final BootstrapKeys keys;
    private final SecureRandom random;

    public TokenSealer(BootstrapKeys keys) {
        this.keys = keys;
        try {
            // DRBG: seeded once here, then pure computation, so sealing never reads the OS entropy
            // source on a request thread.
            this.random = SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK 9+ has DRBG", e);
        }
        random.nextBytes(new byte[NONCE_BYTES]);
    }

    public record Sealed(String keyId, byte[] bytes) {
    }

    public String currentKeyId() {
        return keys.current().id();
    }

    public Sealed seal(String deviceId, byte[] token) {
        BootstrapKeys.Key key = keys.current();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, key.secret(), new GCMParameterSpec(TAG_BITS, nonce));
            aes.updateAAD(associatedData(deviceId, key.id()));
            byte[] sealed = aes.doFinal(token);
            return new Sealed(key.id(), ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to seal", e);
        }
    }

    /** Throws {@link UnknownKeyException} when the key id is not configured (any more). */
    public byte[] open(String deviceId, String keyId, byte[] sealed) {
        BootstrapKeys.Key key = keys.byId(keyId);
        if (key == null) {
            throw new UnknownKeyException(keyId);
        }
        try {
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.DECRYPT_MODE, key.secret(), new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            aes.updateAAD(associatedData(deviceId, keyId));
            return aes.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("an escrowed bootstrap token of " + deviceId + " does not open with key "
                    + keyId + " (tampered, or sealed for another device)", e);
        }
    }

    private static byte[] associatedData(String deviceId, String keyId) {
        return ("mdmgw-bootstrap-token\0" + keyId + '\0' + deviceId).getBytes(StandardCharsets.UTF_8);
    }

    /** A stored token was sealed with a key no longer listed in MDMGW_BOOTSTRAP_KEYS. */
    public static final class UnknownKeyException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        UnknownKeyException(String keyId) {
            super("bootstrap token sealed with key " + keyId + ", which MDMGW_BOOTSTRAP_KEYS no longer lists");
        }
    }
}
