package dev.mdmgw.gateway.mdm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mdmgw.persistence.EnrollmentType;
import org.junit.jupiter.api.Test;

class EnrollmentRefTest {

    @Test
    void factoriesBuildTheNanoMdmIds() {
        assertThat(EnrollmentRef.device("D").id()).isEqualTo("D");
        assertThat(EnrollmentRef.user("D", "U").id()).isEqualTo("D:U");
        assertThat(EnrollmentRef.sharedIpad("D", "a@b").id()).isEqualTo("D:a@b");
        assertThat(EnrollmentRef.userEnrollmentDevice("E")).extracting(EnrollmentRef::id, EnrollmentRef::deviceId)
                .containsExactly("E", "E");
        assertThat(EnrollmentRef.userEnrollment("E", "EU")).extracting(EnrollmentRef::id, EnrollmentRef::userId)
                .containsExactly("E:EU", "EU");
    }

    @Test
    void userIdIsSetExactlyOnUserChannels() {
        assertThatThrownBy(() -> new EnrollmentRef("D", EnrollmentType.DEVICE, "D", "U"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EnrollmentRef("D:U", EnrollmentType.USER, "D", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void secretsStayOutOfToString() {
        TokenUpdate m = new TokenUpdate(EnrollmentRef.device("D"), "com.apple.mgmt.x", new byte[32], "magic-secret",
                new byte[] {1, 2, 3}, false, null, null, null);

        assertThat(m.toString()).doesNotContain("magic-secret").contains("unlockToken=<3 bytes>");
    }
}
