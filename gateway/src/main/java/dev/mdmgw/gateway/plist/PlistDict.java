package dev.mdmgw.gateway.plist;

import java.util.Map;

/**
 * Typed, validating reads from one decoded dictionary. Every failure names the key (with its
 * parent's name for nested dictionaries) and the expected type, which is what the device's
 * operator sees in the 400.
 */
final class PlistDict {
    private final Map<String, Object> entries;
    private final String prefix;

    PlistDict(Map<String, Object> entries, String prefix) {
        this.entries = entries;
        this.prefix = prefix;
    }

    /** The full name of {@code key} for messages, e.g. {@code TokenParameters.SecurityToken}. */
    String name(String key) {
        return prefix + key;
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The string value, or null when absent. Rejects NUL and broken UTF-16, which PostgreSQL text cannot hold. */
    String string(String key) throws BadMessageException {
        Object value = entries.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw wrongType(key, PlistTypes.STRING, value);
        }
        checkStorable(key, s);
        return s;
    }

    String requireString(String key) throws BadMessageException {
        return require(key, string(key));
    }

    byte[] data(String key) throws BadMessageException {
        Object value = entries.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof byte[] bytes)) {
            throw wrongType(key, PlistTypes.DATA, value);
        }
        return bytes;
    }

    byte[] requireData(String key) throws BadMessageException {
        return require(key, data(key));
    }

    /** The boolean value, or null when absent. */
    Boolean bool(String key) throws BadMessageException {
        Object value = entries.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Boolean b)) {
            throw wrongType(key, PlistTypes.BOOLEAN, value);
        }
        return b;
    }

    boolean bool(String key, boolean absent) throws BadMessageException {
        Boolean value = bool(key);
        return value == null ? absent : value;
    }

    Boolean requireBool(String key) throws BadMessageException {
        return require(key, bool(key));
    }

    /** The nested dictionary, or null when absent. */
    PlistDict dict(String key) throws BadMessageException {
        Object value = entries.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw wrongType(key, PlistTypes.DICT, value);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> nested = (Map<String, Object>) map;
        return new PlistDict(nested, name(key) + ".");
    }

    BadMessageException missing(String key) {
        return new BadMessageException("missing required key " + name(key));
    }

    BadMessageException invalid(String key, String reason) {
        return new BadMessageException(name(key) + " " + reason);
    }

    private <T> T require(String key, T value) throws BadMessageException {
        if (value == null) {
            throw missing(key);
        }
        return value;
    }

    private BadMessageException wrongType(String key, String expected, Object actual) {
        return new BadMessageException(name(key) + " must be " + expected + ", not " + PlistTypes.nameOf(actual));
    }

    private void checkStorable(String key, String s) throws BadMessageException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                throw invalid(key, "must not contain NUL characters");
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw invalid(key, "is not valid Unicode (unpaired surrogate)");
            }
        }
    }
}
