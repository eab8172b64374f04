package dev.mdmgw.persistence.write;

import dev.mdmgw.persistence.EnrollmentType;

/**
 * One TokenUpdate to store. {@code unlockToken} null means "the device sent none": keep the
 * stored one. {@code userId}, the user names and {@code unlockToken} may be null.
 */
public record TokenUpdateWrite(
        long version,
        String enrollmentId,
        String deviceId,
        String userId,
        EnrollmentType type,
        String organizationId,
        String topic,
        String pushMagic,
        byte[] token,
        byte[] unlockToken,
        String userShortName,
        String userLongName,
        boolean awaitingConfiguration) {
}
