package dev.mdmgw.gateway.plist;

import dev.mdmgw.gateway.mdm.EnrollmentRef;

/**
 * Derives the enrollment a check-in speaks for from its id keys, exactly as PROTOCOL.md's table
 * (and NanoMDM) does, so enrollment ids survive a migration between the two.
 */
final class EnrollmentResolver {
    static final String UDID = "UDID";
    static final String USER_ID = "UserID";
    static final String USER_SHORT_NAME = "UserShortName";
    static final String ENROLLMENT_ID = "EnrollmentID";
    static final String ENROLLMENT_USER_ID = "EnrollmentUserID";

    private final int maxIdChars;

    EnrollmentResolver(DecoderLimits limits) {
        this.maxIdChars = limits.maxIdentifierChars();
    }

    /** The enrollment, or a 400 naming UDID when the body carries no id at all. */
    EnrollmentRef require(PlistDict body) throws BadMessageException {
        EnrollmentRef ref = resolve(body);
        if (ref == null) {
            throw new BadMessageException("missing required key " + UDID + " (or " + ENROLLMENT_ID + ")");
        }
        return ref;
    }

    /** The enrollment, or null when the body carries neither UDID nor EnrollmentID. */
    EnrollmentRef resolve(PlistDict body) throws BadMessageException {
        String udid = body.string(UDID);
        if (udid != null) {
            deviceId(body, UDID, udid);
            String userId = body.string(USER_ID);
            if (userId == null) {
                return EnrollmentRef.device(udid);
            }
            id(body, USER_ID, userId);
            if (!EnrollmentRef.SHARED_IPAD_USER_ID.equals(userId)) {
                return EnrollmentRef.user(udid, userId);
            }
            String shortName = body.string(USER_SHORT_NAME);
            if (shortName == null) {
                throw new BadMessageException("missing required key " + USER_SHORT_NAME
                        + " (required on Shared iPad, where UserID is " + EnrollmentRef.SHARED_IPAD_USER_ID + ")");
            }
            id(body, USER_SHORT_NAME, shortName);
            return EnrollmentRef.sharedIpad(udid, shortName);
        }
        String enrollmentId = body.string(ENROLLMENT_ID);
        if (enrollmentId == null) {
            return null;
        }
        deviceId(body, ENROLLMENT_ID, enrollmentId);
        String enrollmentUserId = body.string(ENROLLMENT_USER_ID);
        if (enrollmentUserId == null) {
            return EnrollmentRef.userEnrollmentDevice(enrollmentId);
        }
        id(body, ENROLLMENT_USER_ID, enrollmentUserId);
        return EnrollmentRef.userEnrollment(enrollmentId, enrollmentUserId);
    }

    /**
     * A device-channel id must not contain ':', or the Device id "A:B" would equal the user
     * channel id of user B on device A.
     */
    private void deviceId(PlistDict body, String key, String value) throws BadMessageException {
        id(body, key, value);
        if (value.indexOf(':') >= 0) {
            throw body.invalid(key, "must not contain ':'");
        }
    }

    /** Ids become database keys and log fields: non-empty, bounded, no control characters. */
    void id(PlistDict body, String key, String value) throws BadMessageException {
        if (value.isEmpty()) {
            throw body.invalid(key, "must not be empty");
        }
        if (value.length() > maxIdChars) {
            throw body.invalid(key, "is longer than " + maxIdChars + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw body.invalid(key, "must not contain control characters");
            }
        }
    }
}
