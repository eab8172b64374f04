package dev.mdmgw.persistence.read;

import dev.mdmgw.persistence.EnrollmentType;
import java.time.Instant;

/** An enrollment joined with its device's facts, as the admin API shows it. Nullable where unknown. */
public record EnrollmentView(
        String id,
        String deviceId,
        String userId,
        EnrollmentType type,
        String organizationId,
        String topic,
        String pushMagic,
        byte[] token,
        boolean hasUnlockToken,
        boolean enabled,
        boolean awaitingConfiguration,
        long tokenUpdateCount,
        String serialNumber,
        String model,
        String osVersion,
        Instant lastSeenAt,
        Instant enrolledAt) {
}
