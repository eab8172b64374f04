package dev.mdmgw.gateway.plist;

import static dev.mdmgw.gateway.plist.Plist.ENROLLMENT_ID;
import static dev.mdmgw.gateway.plist.Plist.UDID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mdmgw.gateway.mdm.EnrollmentRef;
import dev.mdmgw.gateway.plist.Plist.Format;
import dev.mdmgw.persistence.EnrollmentType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** PROTOCOL.md's enrollment-id table, row by row, on a TokenUpdate (valid on every channel). */
class EnrollmentResolutionTest {
    private static final String USER_ID = "099C810D-B371-4729-8369-559BADA24F50";
    private static final String SHARED_IPAD = "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF";
    private static final String ENROLLMENT_USER_ID = "6A1E7B0C-0C6F-4E8A-9C43-2B8D7F1E5A90";

    private final CheckinDecoder decoder = new CheckinDecoder();

    private static Plist tokenUpdate() {
        return Plist.tokenUpdate().without("UDID");
    }

    /** What a macOS user channel must carry besides its ids. */
    private static Plist macUser(Plist body) {
        return body.with("UserLongName", "Ada Lovelace").with("NotOnConsole", false);
    }

    private EnrollmentRef resolve(Plist body, Format format) throws BadMessageException {
        return decoder.decode(body.encode(format)).enrollment();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void udidIsTheDeviceChannel(Format format) throws Exception {
        EnrollmentRef ref = resolve(tokenUpdate().with("UDID", UDID), format);

        assertThat(ref).isEqualTo(new EnrollmentRef(UDID, EnrollmentType.DEVICE, UDID, null));
        assertThat(ref.isDeviceChannel()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void udidAndUserIdIsTheMacUserChannel(Format format) throws Exception {
        EnrollmentRef ref = resolve(macUser(tokenUpdate().with("UDID", UDID).with("UserID", USER_ID)), format);

        assertThat(ref).isEqualTo(new EnrollmentRef(UDID + ":" + USER_ID, EnrollmentType.USER, UDID, USER_ID));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void sharedIpadUserIdIsKeyedByUserShortName(Format format) throws Exception {
        EnrollmentRef ref = resolve(tokenUpdate().with("UDID", UDID).with("UserID", SHARED_IPAD)
                .with("UserShortName", "pupil@school.example"), format);

        assertThat(ref).isEqualTo(new EnrollmentRef(UDID + ":pupil@school.example", EnrollmentType.SHARED_IPAD, UDID,
                "pupil@school.example"));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void sharedIpadWithoutUserShortNameIsRefusedNamingIt(Format format) {
        Plist body = tokenUpdate().with("UDID", UDID).with("UserID", SHARED_IPAD);

        assertThatThrownBy(() -> resolve(body, format)).isInstanceOf(BadMessageException.class)
                .hasMessageStartingWith("missing required key UserShortName");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void enrollmentIdIsTheUserEnrollmentDeviceChannel(Format format) throws Exception {
        EnrollmentRef ref = resolve(tokenUpdate().with("EnrollmentID", ENROLLMENT_ID), format);

        assertThat(ref).isEqualTo(new EnrollmentRef(ENROLLMENT_ID, EnrollmentType.USER_ENROLLMENT_DEVICE,
                ENROLLMENT_ID, null));
        assertThat(ref.isUserEnrollment()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void enrollmentIdAndEnrollmentUserIdIsTheUserEnrollmentUserChannel(Format format) throws Exception {
        EnrollmentRef ref = resolve(macUser(tokenUpdate().with("EnrollmentID", ENROLLMENT_ID)
                .with("EnrollmentUserID", ENROLLMENT_USER_ID)), format);

        assertThat(ref).isEqualTo(new EnrollmentRef(ENROLLMENT_ID + ":" + ENROLLMENT_USER_ID,
                EnrollmentType.USER_ENROLLMENT, ENROLLMENT_ID, ENROLLMENT_USER_ID));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void udidWinsOverEnrollmentId(Format format) throws Exception {
        EnrollmentRef ref = resolve(tokenUpdate().with("UDID", UDID).with("EnrollmentID", ENROLLMENT_ID)
                .with("EnrollmentUserID", ENROLLMENT_USER_ID), format);

        assertThat(ref).isEqualTo(EnrollmentRef.device(UDID));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void neitherIdIsRefusedNamingUdid(Format format) {
        assertThatThrownBy(() -> resolve(tokenUpdate(), format)).isInstanceOf(BadMessageException.class)
                .hasMessage("missing required key UDID (or EnrollmentID)");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void userIdWithoutUdidDoesNotMakeAUserChannel(Format format) throws Exception {
        EnrollmentRef ref = resolve(tokenUpdate().with("EnrollmentID", ENROLLMENT_ID).with("UserID", USER_ID), format);

        assertThat(ref.type()).isEqualTo(EnrollmentType.USER_ENROLLMENT_DEVICE);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void aColonInADeviceIdIsRefusedSoIdsCannotCollide(Format format) {
        // Device "A:B" would otherwise share its id with user B on device A.
        assertThatThrownBy(() -> resolve(tokenUpdate().with("UDID", UDID + ":" + USER_ID), format))
                .isInstanceOf(BadMessageException.class).hasMessage("UDID must not contain ':'");
        assertThatThrownBy(() -> resolve(tokenUpdate().with("EnrollmentID", "a:b"), format))
                .isInstanceOf(BadMessageException.class).hasMessage("EnrollmentID must not contain ':'");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void emptyOverlongAndControlCharacterIdsAreRefused(Format format) {
        assertThatThrownBy(() -> resolve(tokenUpdate().with("UDID", ""), format))
                .isInstanceOf(BadMessageException.class).hasMessage("UDID must not be empty");
        assertThatThrownBy(() -> resolve(tokenUpdate().with("UDID", "x".repeat(257)), format))
                .isInstanceOf(BadMessageException.class).hasMessage("UDID is longer than 256 characters");
        assertThatThrownBy(() -> resolve(tokenUpdate().with("UDID", UDID).with("UserID", "a\nb"), format))
                .isInstanceOf(BadMessageException.class).hasMessage("UserID must not contain control characters");
    }
}
