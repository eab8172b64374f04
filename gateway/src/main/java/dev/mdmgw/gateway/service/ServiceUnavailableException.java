package dev.mdmgw.gateway.service;

/**
 * Something the gateway depends on, other than its database, failed (a declarative-management
 * backend down, slow or answering 5xx): the device gets a 503 with Retry-After, never a 500.
 * {@code reason} labels {@code mdmgw_checkin_shed_total}.
 */
public final class ServiceUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public ServiceUnavailableException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
