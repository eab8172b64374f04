package dev.mdmgw.persistence;

/** The write queue is full or the pool cannot hand out a connection in time: shed load. */
public final class StoreOverloadedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreOverloadedException(String message) {
        super(message, null);
    }
}
