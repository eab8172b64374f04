package dev.mdmgw.gateway.identity;

/**
 * Who sent a check-in, as far as the transport proved it. {@code certificateDer} is the identity
 * certificate (DER) when one was presented, else null.
 */
public record DeviceIdentity(byte[] certificateDer) {

    private static final DeviceIdentity UNVERIFIED = new DeviceIdentity(null);

    public static DeviceIdentity unverified() {
        return UNVERIFIED;
    }
}
