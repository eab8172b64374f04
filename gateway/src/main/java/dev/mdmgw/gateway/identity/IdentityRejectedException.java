package dev.mdmgw.gateway.identity;

import dev.mdmgw.gateway.service.CheckinRejectedException;

/** The device's identity was missing, invalid or not allowed for this enrollment: a 403. */
public final class IdentityRejectedException extends CheckinRejectedException {
    private static final long serialVersionUID = 1L;

    public IdentityRejectedException(String reason) {
        super(403, reason);
    }
}
