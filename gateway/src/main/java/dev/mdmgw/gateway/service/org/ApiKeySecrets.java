package dev.mdmgw.gateway.service.org;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Organization API keys: {@code mdmgw_<id>_<secret>}, the id (24 hex) names the stored key and the
 * secret (32 random bytes, base64url) is kept only as its SHA-256. A presented key is found by its
 * id and its secret's hash compared in constant time.
 */
public final class ApiKeySecrets {
    private static final Pattern KEY = Pattern.compile("^mdmgw_([a-f0-9]{24})_([A-Za-z0-9_-]{43})$");
    private static final SecureRandom RANDOM = new SecureRandom();

    public record NewKey(String id, String key, byte[] secretSha256) {
    }

    public record Presented(String id, byte[] secretSha256) {
        public boolean matches(byte[] storedSha256) {
            return MessageDigest.isEqual(secretSha256, storedSha256);
        }
    }

    private ApiKeySecrets() {
    }

    public static NewKey generate() {
        String id = ObjectIds.next();
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new NewKey(id, "mdmgw_" + id + "_" + text, sha256(text));
    }

    /** Null when {@code key} is not shaped like one of ours (it cannot be valid then). */
    public static Presented parse(String key) {
        Matcher m = KEY.matcher(key);
        return m.matches() ? new Presented(m.group(1), sha256(m.group(2))) : null;
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
