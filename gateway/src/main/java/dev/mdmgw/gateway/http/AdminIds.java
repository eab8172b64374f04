package dev.mdmgw.gateway.http;

/**
 * What an enrollment id from an admin caller may look like before it reaches SQL: PostgreSQL text
 * cannot hold NUL, and no stored id has control characters, lone surrogates or more than 256
 * characters (the decoder refuses such ids from devices).
 */
final class AdminIds {
    static final int MAX_LENGTH = 256;

    private AdminIds() {
    }

    static boolean isPlausible(String id) {
        if (id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= id.length() || !Character.isLowSurrogate(id.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
