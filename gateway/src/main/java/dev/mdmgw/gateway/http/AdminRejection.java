package dev.mdmgw.gateway.http;

/** Carries an {@link AdminError} through a reactive chain to the one place that answers it. */
final class AdminRejection extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient AdminError error;

    AdminRejection(AdminError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    AdminError error() {
        return error;
    }
}
