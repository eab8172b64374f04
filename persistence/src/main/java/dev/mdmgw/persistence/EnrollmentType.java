package dev.mdmgw.persistence;

/**
 * How an enrollment was made. The stored code ({@link #code()}) is part of the admin API and the
 * database, so it never changes once released.
 */
public enum EnrollmentType {
    DEVICE("Device"),
    USER("User"),
    SHARED_IPAD("SharedIPad"),
    USER_ENROLLMENT_DEVICE("UserEnrollmentDevice"),
    USER_ENROLLMENT("UserEnrollment");

    private final String code;

    EnrollmentType(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** True for the channel that speaks for the whole device (not a user on it). */
    public boolean isDeviceChannel() {
        return this == DEVICE || this == USER_ENROLLMENT_DEVICE;
    }

    public static EnrollmentType fromCode(String code) {
        for (EnrollmentType t : values()) {
            if (t.code.equals(code)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown enrollment type: " + code);
    }
}
