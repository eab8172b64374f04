package dev.mdmgw.persistence.write;

/**
 * A CheckOut. On the device channel ({@code deviceChannel}) every enrollment of
 * {@code deviceId} is disabled; otherwise only {@code enrollmentId}.
 */
public record CheckOutWrite(long version, String enrollmentId, String deviceId, boolean deviceChannel) {
}
