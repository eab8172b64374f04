package dev.mdmgw.gateway.http;

/** The request body is larger than {@code MDMGW_MAX_BODY_BYTES}: a 413. */
final class BodyTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException(long limit) {
        super("body larger than " + limit + " bytes", null, false, false);
    }
}
