package dev.mdmgw.persistence.write;

import dev.mdmgw.persistence.EnrollmentType;

/**
 * An Authenticate: the device (or User Enrollment device channel) {@code deviceId} starts
 * (re-)enrolling. Every optional fact may be null; {@code identityCertificate} is DER when known.
 * {@code type} is {@link EnrollmentType#DEVICE} or {@link EnrollmentType#USER_ENROLLMENT_DEVICE}.
 */
public record AuthenticateWrite(
        long version,
        String deviceId,
        EnrollmentType type,
        String organizationId,
        String topic,
        String serialNumber,
        String model,
        String modelName,
        String productName,
        String deviceName,
        String osVersion,
        String buildVersion,
        String imei,
        String meid,
        byte[] identityCertificate) {
}
