package dev.mdmgw.gateway.plist;

import static dev.mdmgw.gateway.plist.Plist.ENROLLMENT_ID;
import static dev.mdmgw.gateway.plist.Plist.TOKEN;
import static dev.mdmgw.gateway.plist.Plist.TOPIC;
import static dev.mdmgw.gateway.plist.Plist.UDID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.gateway.mdm.Authenticate;
import dev.mdmgw.gateway.mdm.CheckOut;
import dev.mdmgw.gateway.mdm.CheckinMessage;
import dev.mdmgw.gateway.mdm.DeclarativeManagement;
import dev.mdmgw.gateway.mdm.EnrollmentRef;
import dev.mdmgw.gateway.mdm.GetBootstrapToken;
import dev.mdmgw.gateway.mdm.GetToken;
import dev.mdmgw.gateway.mdm.MessageType;
import dev.mdmgw.gateway.mdm.ReturnToService;
import dev.mdmgw.gateway.mdm.SetBootstrapToken;
import dev.mdmgw.gateway.mdm.TokenUpdate;
import dev.mdmgw.gateway.mdm.UserAuthenticate;
import dev.mdmgw.gateway.plist.Plist.Format;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every message type decodes, with the same result from XML and from binary plists. */
class CheckinDecoderMessagesTest {
    private final CheckinDecoder decoder = new CheckinDecoder();

    private CheckinMessage decode(Plist body, Format format) throws BadMessageException {
        return decoder.decode(body.encode(format));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void authenticate(Format format) throws Exception {
        Plist body = Plist.device("Authenticate").with("Topic", TOPIC).with("SerialNumber", "C02XL0ABJGH5")
                .with("Model", "MacBookPro16,1").with("ModelName", "MacBook Pro").with("ProductName", "MacBookPro16,1")
                .with("DeviceName", "Ada's Mac").with("OSVersion", "14.5").with("BuildVersion", "23F79")
                .with("IMEI", "35 209900 176148 1").with("MEID", "35209900176148");

        Authenticate m = (Authenticate) decode(body, format);

        assertThat(m.messageType()).isEqualTo(MessageType.AUTHENTICATE);
        assertThat(m.enrollment()).isEqualTo(EnrollmentRef.device(UDID));
        assertThat(m).extracting(Authenticate::topic, Authenticate::serialNumber, Authenticate::model,
                        Authenticate::modelName, Authenticate::productName, Authenticate::deviceName,
                        Authenticate::osVersion, Authenticate::buildVersion, Authenticate::imei, Authenticate::meid)
                .containsExactly(TOPIC, "C02XL0ABJGH5", "MacBookPro16,1", "MacBook Pro", "MacBookPro16,1",
                        "Ada's Mac", "14.5", "23F79", "35 209900 176148 1", "35209900176148");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void authenticateWithOnlyTheRequiredKeysLeavesDeviceFactsNull(Format format) throws Exception {
        Authenticate m = (Authenticate) decode(Plist.device("Authenticate").with("Topic", TOPIC), format);

        assertThat(m.serialNumber()).isNull();
        assertThat(m.model()).isNull();
        assertThat(m.imei()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void tokenUpdate(Format format) throws Exception {
        byte[] unlock = Plist.bytes(300, 0x11);
        Plist body = Plist.tokenUpdate().with("UnlockToken", unlock).with("AwaitingConfiguration", true);

        TokenUpdate m = (TokenUpdate) decode(body, format);

        assertThat(m.messageType()).isEqualTo(MessageType.TOKEN_UPDATE);
        assertThat(m.enrollment()).isEqualTo(EnrollmentRef.device(UDID));
        assertThat(m.topic()).isEqualTo(TOPIC);
        assertThat(m.token()).isEqualTo(TOKEN);
        assertThat(m.pushMagic()).isEqualTo("2E0AF5B8-7A7E");
        assertThat(m.unlockToken()).isEqualTo(unlock);
        assertThat(m.awaitingConfiguration()).isTrue();
        assertThat(m.notOnConsole()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void tokenUpdateWithoutOptionalKeys(Format format) throws Exception {
        TokenUpdate m = (TokenUpdate) decode(Plist.tokenUpdate(), format);

        assertThat(m.unlockToken()).isNull();
        assertThat(m.awaitingConfiguration()).isFalse();
        assertThat(m.userShortName()).isNull();
        assertThat(m.userLongName()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void emptyUnlockTokenCountsAsAbsentSoTheStoredOneSurvives(Format format) throws Exception {
        TokenUpdate m = (TokenUpdate) decode(Plist.tokenUpdate().with("UnlockToken", new byte[0]), format);

        assertThat(m.unlockToken()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void macUserChannelTokenUpdate(Format format) throws Exception {
        Plist body = Plist.tokenUpdate().with("UserID", "099C810D-B371-4729-8369-559BADA24F50")
                .with("UserShortName", "ada").with("UserLongName", "Ada Lovelace").with("NotOnConsole", false);

        TokenUpdate m = (TokenUpdate) decode(body, format);

        assertThat(m.enrollment()).isEqualTo(EnrollmentRef.user(UDID, "099C810D-B371-4729-8369-559BADA24F50"));
        assertThat(m.userShortName()).isEqualTo("ada");
        assertThat(m.userLongName()).isEqualTo("Ada Lovelace");
        assertThat(m.notOnConsole()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void checkOut(Format format) throws Exception {
        CheckOut m = (CheckOut) decode(Plist.device("CheckOut").with("Topic", TOPIC), format);

        assertThat(m.messageType()).isEqualTo(MessageType.CHECK_OUT);
        assertThat(m.enrollment()).isEqualTo(EnrollmentRef.device(UDID));
        assertThat(m.topic()).isEqualTo(TOPIC);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void setBootstrapToken(Format format) throws Exception {
        byte[] token = "bootstrap-token-bytes".getBytes(StandardCharsets.UTF_8);
        Plist body = Plist.device("SetBootstrapToken").with("BootstrapToken", token)
                .with("AwaitingConfiguration", true);

        SetBootstrapToken m = (SetBootstrapToken) decode(body, format);

        assertThat(m.messageType()).isEqualTo(MessageType.SET_BOOTSTRAP_TOKEN);
        assertThat(m.enrollment()).isEqualTo(EnrollmentRef.device(UDID));
        assertThat(m.bootstrapToken()).isEqualTo(token);
        assertThat(m.awaitingConfiguration()).isTrue();
        assertThat(m.isDelete()).isFalse();
        assertThat(m.toString()).doesNotContain("bootstrap-token").contains("<21 bytes>");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void setBootstrapTokenWithoutTokenOrIdMeansDeleteForTheCertificatesDevice(Format format) throws Exception {
        SetBootstrapToken m = (SetBootstrapToken) decode(Plist.message("SetBootstrapToken"), format);

        assertThat(m.enrollment()).isNull();
        assertThat(m.isDelete()).isTrue();
        assertThat(m.awaitingConfiguration()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void setBootstrapTokenWithEmptyTokenMeansDelete(Format format) throws Exception {
        SetBootstrapToken m = (SetBootstrapToken) decode(
                Plist.device("SetBootstrapToken").with("BootstrapToken", new byte[0]), format);

        assertThat(m.bootstrapToken()).isEmpty();
        assertThat(m.isDelete()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void getBootstrapToken(Format format) throws Exception {
        GetBootstrapToken withId = (GetBootstrapToken) decode(
                Plist.device("GetBootstrapToken").with("AwaitingConfiguration", true), format);
        GetBootstrapToken withoutId = (GetBootstrapToken) decode(Plist.message("GetBootstrapToken"), format);

        assertThat(withId.messageType()).isEqualTo(MessageType.GET_BOOTSTRAP_TOKEN);
        assertThat(withId.enrollment()).isEqualTo(EnrollmentRef.device(UDID));
        assertThat(withId.awaitingConfiguration()).isTrue();
        assertThat(withoutId.enrollment()).isNull();
        assertThat(withoutId.awaitingConfiguration()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void getTokenForManagedAppleAccount(Format format) throws Exception {
        GetToken m = (GetToken) decode(Plist.device("GetToken").with("TokenServiceType", "com.apple.maid"), format);

        assertThat(m.messageType()).isEqualTo(MessageType.GET_TOKEN);
        assertThat(m.tokenServiceType()).isEqualTo(GetToken.MAID);
        assertThat(m.securityToken()).isNull();
        assertThat(m.phoneUdid()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void getTokenForWatchPairing(Format format) throws Exception {
        Plist body = Plist.device("GetToken").with("TokenServiceType", "com.apple.watch.pairing")
                .with("TokenParameters", Plist.dict().with("SecurityToken", "sec-123")
                        .with("PhoneUDID", UDID).with("WatchUDID", "00008301-000A1B2C3D4E5F60"));

        GetToken m = (GetToken) decode(body, format);

        assertThat(m.tokenServiceType()).isEqualTo(GetToken.WATCH_PAIRING);
        assertThat(m.securityToken()).isEqualTo("sec-123");
        assertThat(m.phoneUdid()).isEqualTo(UDID);
        assertThat(m.watchUdid()).isEqualTo("00008301-000A1B2C3D4E5F60");
        assertThat(m.toString()).doesNotContain("sec-123");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void userAuthenticateFirstAndSecondRequest(Format format) throws Exception {
        Plist first = Plist.device("UserAuthenticate").with("UserID", "099C810D-B371-4729-8369-559BADA24F50");
        Plist second = first.copy().with("DigestResponse", "username=\"ada\",response=\"abc\"");

        UserAuthenticate m1 = (UserAuthenticate) decode(first, format);
        UserAuthenticate m2 = (UserAuthenticate) decode(second, format);

        assertThat(m1.messageType()).isEqualTo(MessageType.USER_AUTHENTICATE);
        assertThat(m1.enrollment().id()).isEqualTo(UDID + ":099C810D-B371-4729-8369-559BADA24F50");
        assertThat(m1.digestResponse()).isNull();
        assertThat(m2.digestResponse()).isEqualTo("username=\"ada\",response=\"abc\"");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void declarativeManagement(Format format) throws Exception {
        byte[] json = "{\"StatusItems\":{}}".getBytes(StandardCharsets.UTF_8);
        DeclarativeManagement status = (DeclarativeManagement) decode(
                Plist.device("DeclarativeManagement").with("Endpoint", "status").with("Data", json), format);
        DeclarativeManagement declaration = (DeclarativeManagement) decode(
                Plist.device("DeclarativeManagement").with("Endpoint", "declaration/configuration/com.example.wifi"),
                format);

        assertThat(status.messageType()).isEqualTo(MessageType.DECLARATIVE_MANAGEMENT);
        assertThat(status.endpoint()).isEqualTo("status");
        assertThat(status.data()).isEqualTo(json);
        assertThat(declaration.endpoint()).isEqualTo("declaration/configuration/com.example.wifi");
        assertThat(declaration.data()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void returnToService(Format format) throws Exception {
        ReturnToService m = (ReturnToService) decode(Plist.device("ReturnToService"), format);

        assertThat(m.messageType()).isEqualTo(MessageType.RETURN_TO_SERVICE);
        assertThat(m.enrollment()).isEqualTo(EnrollmentRef.device(UDID));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void unknownExtraKeysOfAnyTypeAreIgnored(Format format) throws Exception {
        Plist body = Plist.tokenUpdate().with("FutureKey", Map.of("Nested", java.util.List.of(1, 2.5, "x", true)))
                .with("SomeInteger", 42L).with("SomeData", new byte[] {1, 2});

        assertThat(decode(body, format)).isInstanceOf(TokenUpdate.class);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void userEnrollmentTokenUpdate(Format format) throws Exception {
        Plist body = Plist.message("TokenUpdate").with("EnrollmentID", ENROLLMENT_ID).with("Topic", TOPIC)
                .with("Token", TOKEN).with("PushMagic", "magic");

        TokenUpdate m = (TokenUpdate) decode(body, format);

        assertThat(m.enrollment()).isEqualTo(EnrollmentRef.userEnrollmentDevice(ENROLLMENT_ID));
    }
}
