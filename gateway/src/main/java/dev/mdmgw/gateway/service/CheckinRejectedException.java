package dev.mdmgw.gateway.service;

/**
 * The gateway refuses a check-in on purpose, with a status the device understands (400, 403, 410)
 * and a plain-text reason. Never 401: that would unenroll the device.
 */
public class CheckinRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public CheckinRejectedException(int status, String reason) {
        super(reason, null, false, false);
        if (status == 401) {
            throw new IllegalArgumentException("401 unenrolls the device; refuse with 400 or 403");
        }
        this.status = status;
    }

    public int status() {
        return status;
    }
}
