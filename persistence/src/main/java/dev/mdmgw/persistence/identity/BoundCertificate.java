package dev.mdmgw.persistence.identity;

/** The device a certificate belongs to, and whether it is still that device's current one. */
public record BoundCertificate(String deviceId, boolean current) {
}
