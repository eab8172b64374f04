package dev.mdmgw.gateway.mdm;

import dev.mdmgw.persistence.EnrollmentType;
import java.util.Objects;

/**
 * Which enrollment (channel) a check-in speaks for, with NanoMDM-compatible ids.
 *
 * @param id       the enrollment id: {@code UDID}, {@code UDID:UserID}, {@code UDID:UserShortName}
 *                 (Shared iPad), {@code EnrollmentID} or {@code EnrollmentID:EnrollmentUserID}
 * @param type     how the enrollment was made
 * @param deviceId the device channel's id ({@code UDID} or {@code EnrollmentID}); equals {@code id}
 *                 on device channels
 * @param userId   the user part of {@code id} ({@code UserID}, {@code UserShortName} on Shared iPad,
 *                 {@code EnrollmentUserID}); null on device channels
 */
public record EnrollmentRef(String id, EnrollmentType type, String deviceId, String userId) {

    /** The {@code UserID} a Shared iPad user channel sends; the user is named by UserShortName. */
    public static final String SHARED_IPAD_USER_ID = "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF";

    public EnrollmentRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(deviceId, "deviceId");
        if (type.isDeviceChannel() != (userId == null)) {
            throw new IllegalArgumentException("userId must be set exactly on user channels");
        }
    }

    public static EnrollmentRef device(String udid) {
        return new EnrollmentRef(udid, EnrollmentType.DEVICE, udid, null);
    }

    public static EnrollmentRef user(String udid, String userId) {
        return new EnrollmentRef(udid + ':' + userId, EnrollmentType.USER, udid, userId);
    }

    public static EnrollmentRef sharedIpad(String udid, String userShortName) {
        return new EnrollmentRef(udid + ':' + userShortName, EnrollmentType.SHARED_IPAD, udid, userShortName);
    }

    public static EnrollmentRef userEnrollmentDevice(String enrollmentId) {
        return new EnrollmentRef(enrollmentId, EnrollmentType.USER_ENROLLMENT_DEVICE, enrollmentId, null);
    }

    public static EnrollmentRef userEnrollment(String enrollmentId, String enrollmentUserId) {
        return new EnrollmentRef(enrollmentId + ':' + enrollmentUserId, EnrollmentType.USER_ENROLLMENT,
                enrollmentId, enrollmentUserId);
    }

    public boolean isDeviceChannel() {
        return type.isDeviceChannel();
    }

    public boolean isUserEnrollment() {
        return type == EnrollmentType.USER_ENROLLMENT || type == EnrollmentType.USER_ENROLLMENT_DEVICE;
    }
}
