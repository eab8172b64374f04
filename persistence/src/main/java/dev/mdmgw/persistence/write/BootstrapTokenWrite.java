package dev.mdmgw.persistence.write;

/**
 * Escrow (or, with {@code sealedToken} null, removal) of a device's bootstrap token. The store
 * never sees the token in clear: {@code sealedToken} is what the gateway sealed with key {@code keyId}.
 */
public record BootstrapTokenWrite(long version, String deviceId, String organizationId, byte[] sealedToken,
        String keyId) {

    @Override
    public String toString() {
        return "BootstrapTokenWrite[version=" + version + ", deviceId=" + deviceId + ", organizationId=" + organizationId
                + ", sealedToken=" + (sealedToken == null ? "null" : "<" + sealedToken.length + " bytes>") + ", keyId="
                + keyId + "]";
    }
}
