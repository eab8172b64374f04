package dev.mdmgw.persistence.write;

import dev.mdmgw.persistence.EnrollmentType;

/**
 * A CheckOut. On the device channel ({@link #deviceChannel()}) every enrollment of
 * {@code deviceId} is disabled; otherwise only {@code enrollmentId}. When {@code enrollmentId} is
 * not stored yet, a disabled placeholder is stored at this version so that a TokenUpdate sent
 * before the CheckOut but stored after it cannot enable it: {@code userId} (null on device
 * channels), {@code type}, {@code organizationId} and {@code topic} (may be null) describe it.
 */
public record CheckOutWrite(
        long version,
        String enrollmentId,
        String deviceId,
        String userId,
        EnrollmentType type,
        String organizationId,
        String topic) {

    public boolean deviceChannel() {
        return type.isDeviceChannel();
    }
}
