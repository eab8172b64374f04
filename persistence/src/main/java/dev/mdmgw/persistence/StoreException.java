package dev.mdmgw.persistence;

/** The store could not take or answer a request; nothing was acknowledged. Callers answer 503. */
public abstract class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected StoreException(String message, Throwable cause) {
        super(message, cause, false, cause != null);
    }
}
