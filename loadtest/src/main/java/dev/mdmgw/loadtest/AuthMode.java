package dev.mdmgw.loadtest;

/** How a simulated device proves who it is; the gateway's {@code MDMGW_DEVICE_AUTH} must match. */
public enum AuthMode {
    SIGNATURE, HEADER, NONE
}
