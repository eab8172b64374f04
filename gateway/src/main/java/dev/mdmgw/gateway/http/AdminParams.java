package dev.mdmgw.gateway.http;

import java.util.List;
import java.util.Map;

/** Query parameters of admin listings: paging (CONTRACT.md) and plain values. */
final class AdminParams {
    static final int DEFAULT_LIMIT = 25;
    static final int MAX_LIMIT = 500;

    private AdminParams() {
    }

    static int page(Map<String, List<String>> params) {
        return intParam(params, "page", 1);
    }

    /** Defaults to 25; larger than 500 is capped, not refused. */
    static int limit(Map<String, List<String>> params) {
        return Math.min(intParam(params, "limit", DEFAULT_LIMIT), MAX_LIMIT);
    }

    static int intParam(Map<String, List<String>> params, String name, int fallback) {
        String v = first(params, name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new AdminRejection(AdminError.invalid(name, "must be a whole number of at least 1"));
        }
    }

    /** Null when absent; true or false, else a 5001 naming it. */
    static Boolean bool(Map<String, List<String>> params, String name) {
        String v = first(params, name);
        if (v == null) {
            return null;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw new AdminRejection(AdminError.invalid(name, "must be true or false"));
        }
        return Boolean.valueOf(v);
    }

    static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
