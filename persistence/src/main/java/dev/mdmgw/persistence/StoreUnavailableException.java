package dev.mdmgw.persistence;

/** The database failed the statement that carried this request (down, read-only, timed out...). */
public final class StoreUnavailableException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
