package dev.mdmgw.gateway.plist;

/**
 * The body is not a valid check-in message; the HTTP layer answers 400 with {@link #getMessage()}
 * as plain text. The message names the offending key where there is one.
 */
public final class BadMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadMessageException(String reason) {
        this(reason, null);
    }

    public BadMessageException(String reason, Throwable cause) {
        // No stack trace: hostile clients can make us throw these at line rate, and the reason
        // plus the cause (which keeps its own trace) say everything a log needs.
        super(reason, cause, false, false);
    }
}
