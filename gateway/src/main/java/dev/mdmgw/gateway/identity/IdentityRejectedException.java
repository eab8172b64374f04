package dev.mdmgw.gateway.identity;

import dev.mdmgw.gateway.service.CheckinRejectedException;

/**
 * The device's identity was missing, invalid or not allowed for this enrollment: a 403 with a
 * plain-text reason, never a 401 (a 401 unenrolls the device).
 */
public final class IdentityRejectedException extends CheckinRejectedException {
    private static final long serialVersionUID = 1L;

    private final IdentityFailure failure;

    public IdentityRejectedException(IdentityFailure failure, String reason) {
        super(403, reason);
        this.failure = failure;
    }

    public IdentityFailure failure() {
        return failure;
    }
}
