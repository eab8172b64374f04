package dev.mdmgw.gateway.plist;

/** Safe rendering of client-supplied text inside plain-text 400 reasons. */
final class Text {
    private static final int MAX_ECHO = 80;

    private Text() {
    }

    /** {@code "value"} with control characters replaced and long values cut, for echoing back. */
    static String quote(String value) {
        StringBuilder sb = new StringBuilder(Math.min(value.length(), MAX_ECHO) + 5).append('"');
        for (int i = 0; i < value.length() && i < MAX_ECHO; i++) {
            char c = value.charAt(i);
            sb.append(Character.isISOControl(c) || Character.isSurrogate(c) ? '?' : c);
        }
        if (value.length() > MAX_ECHO) {
            sb.append("...");
        }
        return sb.append('"').toString();
    }

    /** A "Key: " prefix for reasons about a value, empty when the value has no key. */
    static String where(String key) {
        return key == null ? "" : key + ": ";
    }

    /** One line, bounded: parser messages may span lines and quote input. */
    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        String s = message.strip();
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && sb.length() < 200; i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) || Character.isSurrogate(c) ? ' ' : c);
        }
        return sb.toString();
    }
}
