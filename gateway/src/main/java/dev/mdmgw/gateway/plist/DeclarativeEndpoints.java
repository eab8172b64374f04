package dev.mdmgw.gateway.plist;

/**
 * The DeclarativeManagement {@code Endpoint} values the schema allows. The endpoint becomes part
 * of a URL path on the declarative backend, so anything else (notably "." and ".." segments or
 * extra slashes) is refused here rather than escaped later.
 */
final class DeclarativeEndpoints {
    private static final String DECLARATION = "declaration/";

    private DeclarativeEndpoints() {
    }

    static boolean isValid(String endpoint) {
        switch (endpoint) {
            case "tokens", "declaration-items", "status" -> {
                return true;
            }
            default -> {
                if (!endpoint.startsWith(DECLARATION)) {
                    return false;
                }
                String rest = endpoint.substring(DECLARATION.length());
                int slash = rest.indexOf('/');
                return slash > 0 && rest.indexOf('/', slash + 1) < 0
                        && isSegment(rest.substring(0, slash)) && isSegment(rest.substring(slash + 1));
            }
        }
    }

    private static boolean isSegment(String s) {
        if (s.isEmpty() || s.equals(".") || s.equals("..")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '?' || c == '#' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
