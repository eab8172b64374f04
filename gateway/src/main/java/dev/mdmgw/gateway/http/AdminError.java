package dev.mdmgw.gateway.http;

/** An admin API failure: its HTTP status and the envelope's error code and message (CONTRACT.md). */
record AdminError(int httpStatus, int code, String message) {
    static final int NO_AUTH_TOKEN = 4002;
    static final int INVALID_TOKEN = 4004;
    static final int PERMISSION_DENIED = 4003;
    static final int NOT_FOUND = 3001;
    static final int VALIDATION_FAILED = 5001;
    static final int UNAVAILABLE = 5003;
    static final int TOKEN_REFUSED = 5002;

    static AdminError noAuthToken() {
        return new AdminError(401, NO_AUTH_TOKEN, "No auth token");
    }

    static AdminError invalidToken() {
        return new AdminError(401, INVALID_TOKEN, "Invalid Token");
    }

    static AdminError closed() {
        return new AdminError(403, PERMISSION_DENIED, "Permission denied: the admin API is closed (MDMGW_ADMIN_API_KEY is unset)");
    }

    static AdminError permissionDenied(String permission) {
        return new AdminError(403, PERMISSION_DENIED, permission == null
                ? "Permission denied: only the super-admin key may do this"
                : "Permission denied: the key lacks " + permission);
    }

    static AdminError notFound() {
        return new AdminError(404, NOT_FOUND, "Entity not found");
    }

    static AdminError invalid(String field, String why) {
        return new AdminError(400, VALIDATION_FAILED, "Validation failed: " + field + " " + why);
    }

    /** A watch-pairing token that is tampered, expired, foreign or already used. */
    static AdminError tokenRefused(String why) {
        return new AdminError(400, TOKEN_REFUSED, "Token refused: " + why);
    }

    static AdminError unavailable() {
        return new AdminError(503, UNAVAILABLE, "Service unavailable, retry later");
    }
}
