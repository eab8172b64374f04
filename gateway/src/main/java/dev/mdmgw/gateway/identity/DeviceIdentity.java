package dev.mdmgw.gateway.identity;

/**
 * Who sent a check-in, as far as it was proven. With identity checks on: the identity certificate
 * (DER), its fingerprint, and the device channel id it is bound to. In {@code none} mode all null.
 */
public record DeviceIdentity(byte[] certificateDer, Fingerprint fingerprint, String deviceId) {

    private static final DeviceIdentity UNVERIFIED = new DeviceIdentity(null, null, null);

    public static DeviceIdentity unverified() {
        return UNVERIFIED;
    }
}
