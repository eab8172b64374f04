package dev.mdmgw.gateway.identity;

import dev.mdmgw.gateway.service.CheckinRejectedException;

/**
 * The device's identity was missing, invalid or not allowed for this enrollment: a 403 with a
 * plain-text reason, never a 401 (a 401 unenrolls the device).
 */
public final class IdentityRejectedException extends CheckinRejectedException {
    private static final long serialVersionUID = 1L;

    private final IdentityFailure failure;
    private final Fingerprint fingerprint;

    public IdentityRejectedException(IdentityFailure failure, String reason) {
        this(failure, reason, null);
    }

    /** With the certificate's fingerprint, when one was read before the refusal, for the logs. */
    public IdentityRejectedException(IdentityFailure failure, String reason, Fingerprint fingerprint) {
        super(403, reason);
        this.failure = failure;
        this.fingerprint = fingerprint;
    }

    public IdentityFailure failure() {
        return failure;
    }

    /** Null when no certificate could be read. */
    public Fingerprint fingerprint() {
        return fingerprint;
    }
}
