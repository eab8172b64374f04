package dev.mdmgw.gateway.config;

import java.util.Locale;

/** Where a device's identity certificate comes from ({@code MDMGW_DEVICE_AUTH}). */
public enum DeviceAuth {
    /** The {@code Mdm-Signature} header: a CMS detached signature over the body. */
    SIGNATURE,
    /** A TLS-terminating proxy forwards the client certificate in {@code MDMGW_CERT_HEADER}. */
    HEADER,
    /** The gateway terminates mutual TLS itself. */
    TLS,
    /** No identity at all: development only. */
    NONE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static DeviceAuth parse(String value) {
        for (DeviceAuth mode : values()) {
            if (mode.wireName().equalsIgnoreCase(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("MDMGW_DEVICE_AUTH must be signature, header, tls or none, got " + value);
    }
}
