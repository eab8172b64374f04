package dev.mdmgw.persistence.embedded;

/**
 * The embedded PostgreSQL could not be started or stopped. The message says what to do about it;
 * it is meant to be shown to the person starting the gateway as it is.
 */
public final class EmbeddedPostgresException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EmbeddedPostgresException(String message) {
        super(message);
    }

    public EmbeddedPostgresException(String message, Throwable cause) {
        super(message, cause);
    }
}
