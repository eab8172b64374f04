package dev.mdmgw.persistence;

/**
 * A unique value is taken already (an APNs topic of another organization, say): the caller asked
 * for something that cannot be, which is not the database's fault. {@link #field} names what.
 */
public final class StoreConflictException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public StoreConflictException(String field, String message) {
        super(message, null);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
