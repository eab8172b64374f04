package dev.mdmgw.gateway.plist;

import static dev.mdmgw.gateway.plist.Plist.ENROLLMENT_ID;
import static dev.mdmgw.gateway.plist.Plist.TOKEN;
import static dev.mdmgw.gateway.plist.Plist.TOPIC;
import static dev.mdmgw.gateway.plist.Plist.UDID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mdmgw.gateway.mdm.Authenticate;
import dev.mdmgw.gateway.mdm.GetToken;
import dev.mdmgw.gateway.plist.Plist.Format;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The schema's (conditional) required keys, channel restrictions and value types. */
class SchemaRulesTest {
    private static final String USER_ID = "099C810D-B371-4729-8369-559BADA24F50";
    private static final String SHARED_IPAD = "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF";

    private final CheckinDecoder decoder = new CheckinDecoder();

    private static Plist macUser(String messageType) {
        return Plist.device(messageType).with("UserID", USER_ID).with("UserLongName", "Ada Lovelace");
    }

    private static Plist userEnrollment(String messageType) {
        return Plist.message(messageType).with("EnrollmentID", ENROLLMENT_ID);
    }

    private static Plist sharedIpadUser(String messageType) {
        return Plist.device(messageType).with("UserID", SHARED_IPAD).with("UserShortName", "pupil@school.example");
    }

    private static Plist watchPairing() {
        return Plist.device("GetToken").with("TokenServiceType", "com.apple.watch.pairing")
                .with("TokenParameters", Plist.dict().with("SecurityToken", "s").with("PhoneUDID", UDID)
                        .with("WatchUDID", "W1"));
    }

    /** A valid body, the key taken out of it, and the start of the expected reason. */
    static Stream<Arguments> missingKeys() {
        List<Arguments> cases = new ArrayList<>();
        Plist authenticate = Plist.device("Authenticate").with("Topic", TOPIC);
        cases.add(Arguments.of(authenticate, "Topic", "missing required key Topic"));
        cases.add(Arguments.of(authenticate, "UDID", "missing required key UDID"));
        cases.add(Arguments.of(authenticate, "MessageType", "missing required key MessageType"));
        Plist tokenUpdate = Plist.tokenUpdate();
        cases.add(Arguments.of(tokenUpdate, "Token", "missing required key Token"));
        cases.add(Arguments.of(tokenUpdate, "PushMagic", "missing required key PushMagic"));
        cases.add(Arguments.of(tokenUpdate, "Topic", "missing required key Topic"));
        cases.add(Arguments.of(tokenUpdate, "UDID", "missing required key UDID"));
        Plist macTokenUpdate = tokenUpdate.copy().with("UserID", USER_ID).with("UserLongName", "Ada")
                .with("NotOnConsole", false);
        cases.add(Arguments.of(macTokenUpdate, "UserLongName", "missing required key UserLongName"));
        cases.add(Arguments.of(macTokenUpdate, "NotOnConsole", "missing required key NotOnConsole"));
        Plist sharedTokenUpdate = tokenUpdate.copy().with("UserID", SHARED_IPAD).with("UserShortName", "p@s.example");
        cases.add(Arguments.of(sharedTokenUpdate, "UserShortName", "missing required key UserShortName"));
        Plist ueUserTokenUpdate = tokenUpdate.copy().without("UDID").with("EnrollmentID", ENROLLMENT_ID)
                .with("EnrollmentUserID", "EU1").with("UserLongName", "Ada").with("NotOnConsole", true);
        cases.add(Arguments.of(ueUserTokenUpdate, "UserLongName", "missing required key UserLongName"));
        cases.add(Arguments.of(ueUserTokenUpdate, "NotOnConsole", "missing required key NotOnConsole"));
        Plist checkOut = Plist.device("CheckOut").with("Topic", TOPIC);
        cases.add(Arguments.of(checkOut, "Topic", "missing required key Topic"));
        cases.add(Arguments.of(checkOut, "UDID", "missing required key UDID"));
        Plist getToken = Plist.device("GetToken").with("TokenServiceType", "com.apple.maid");
        cases.add(Arguments.of(getToken, "TokenServiceType", "missing required key TokenServiceType"));
        cases.add(Arguments.of(getToken, "UDID", "missing required key UDID"));
        cases.add(Arguments.of(watchPairing(), "TokenParameters", "missing required key TokenParameters"));
        cases.add(Arguments.of(macUser("GetToken").with("TokenServiceType", "com.apple.maid"), "UserLongName",
                "missing required key UserLongName"));
        Plist userAuthenticate = Plist.device("UserAuthenticate").with("UserID", USER_ID);
        cases.add(Arguments.of(userAuthenticate, "UserID", "missing required key UserID"));
        cases.add(Arguments.of(userAuthenticate, "UDID", "missing required key UDID"));
        Plist declarative = Plist.device("DeclarativeManagement").with("Endpoint", "tokens");
        cases.add(Arguments.of(declarative, "Endpoint", "missing required key Endpoint"));
        cases.add(Arguments.of(declarative, "UDID", "missing required key UDID"));
        cases.add(Arguments.of(macUser("DeclarativeManagement").with("Endpoint", "tokens"), "UserLongName",
                "missing required key UserLongName"));
        cases.add(Arguments.of(Plist.device("ReturnToService"), "UDID", "missing required key UDID"));
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("missingKeys")
    void missingRequiredKeyIsNamed(Plist valid, String key, String reason) throws Exception {
        assertThat(decoder.decode(valid.xml())).isNotNull();
        for (Format format : Format.values()) {
            byte[] body = valid.copy().without(key).encode(format);
            assertThatThrownBy(() -> decoder.decode(body)).as(format.name())
                    .isInstanceOf(BadMessageException.class).hasMessageStartingWith(reason);
        }
    }

    @Test
    void watchPairingParametersAreEachRequired() {
        for (String param : List.of("SecurityToken", "PhoneUDID", "WatchUDID")) {
            Plist body = watchPairing().with("TokenParameters", Plist.dict().with("SecurityToken", "s")
                    .with("PhoneUDID", UDID).with("WatchUDID", "W1").without(param));
            assertThatThrownBy(() -> decoder.decode(body.xml())).isInstanceOf(BadMessageException.class)
                    .hasMessageStartingWith("missing required key TokenParameters." + param);
        }
    }

    static Stream<Arguments> forbidden() {
        return Stream.of(
                Arguments.of(macUser("Authenticate").with("Topic", TOPIC),
                        "Authenticate is only sent on the device channel, but the body has UserID"),
                Arguments.of(sharedIpadUser("Authenticate").with("Topic", TOPIC),
                        "Authenticate is only sent on the device channel, but the body has UserID"),
                Arguments.of(userEnrollment("Authenticate").with("EnrollmentUserID", "EU1").with("Topic", TOPIC),
                        "Authenticate is only sent on the device channel, but the body has EnrollmentUserID"),
                Arguments.of(macUser("CheckOut").with("Topic", TOPIC),
                        "CheckOut is only sent on the device channel, but the body has UserID"),
                Arguments.of(userEnrollment("Authenticate").with("Topic", TOPIC).with("SerialNumber", "C02"),
                        "SerialNumber is not allowed in user enrollment"),
                Arguments.of(userEnrollment("Authenticate").with("Topic", TOPIC).with("IMEI", "35"),
                        "IMEI is not allowed in user enrollment"),
                Arguments.of(userEnrollment("TokenUpdate").with("Topic", TOPIC).with("Token", TOKEN)
                        .with("PushMagic", "m").with("UnlockToken", new byte[] {1}),
                        "UnlockToken is not allowed in user enrollment"),
                Arguments.of(sharedIpadUser("TokenUpdate").with("Topic", TOPIC).with("Token", TOKEN)
                        .with("PushMagic", "m").with("UnlockToken", new byte[] {1}),
                        "UnlockToken is not allowed on Shared iPad"),
                Arguments.of(userEnrollment("SetBootstrapToken"),
                        "SetBootstrapToken is not allowed in user enrollment"),
                Arguments.of(userEnrollment("GetBootstrapToken"),
                        "GetBootstrapToken is not allowed in user enrollment"),
                Arguments.of(macUser("GetBootstrapToken"),
                        "GetBootstrapToken is only sent on the device channel, but the body has UserID"),
                Arguments.of(userEnrollment("UserAuthenticate"), "UserAuthenticate is not allowed in user enrollment"),
                Arguments.of(sharedIpadUser("UserAuthenticate"), "UserID is the Shared iPad user id"),
                Arguments.of(userEnrollment("ReturnToService"), "ReturnToService is not allowed in user enrollment"),
                Arguments.of(macUser("ReturnToService"),
                        "ReturnToService is only sent on the device channel, but the body has UserID"),
                Arguments.of(userEnrollment("GetToken").with("TokenServiceType", "com.apple.watch.pairing")
                        .with("TokenParameters", Plist.dict().with("SecurityToken", "s")),
                        "TokenParameters.SecurityToken is not allowed in user enrollment"),
                Arguments.of(sharedIpadUser("GetToken").with("TokenServiceType", "com.apple.maid")
                        .with("TokenParameters", Plist.dict().with("PhoneUDID", "p")),
                        "TokenParameters.PhoneUDID is not allowed on Shared iPad"));
    }

    @ParameterizedTest
    @MethodSource("forbidden")
    void whatTheSchemaForbidsIsRefusedNamingTheKey(Plist body, String reason) {
        for (Format format : Format.values()) {
            assertThatThrownBy(() -> decoder.decode(body.encode(format))).as(format.name())
                    .isInstanceOf(BadMessageException.class).hasMessageStartingWith(reason);
        }
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of(Plist.tokenUpdate().with("Token", "3q2+7w=="), "Token must be <data>, not <string>"),
                Arguments.of(Plist.tokenUpdate().with("UnlockToken", "abc"), "UnlockToken must be <data>, not <string>"),
                Arguments.of(Plist.tokenUpdate().with("PushMagic", new byte[] {1}),
                        "PushMagic must be <string>, not <data>"),
                Arguments.of(Plist.tokenUpdate().with("UDID", 42), "UDID must be <string>, not <integer>"),
                Arguments.of(Plist.tokenUpdate().with("Topic", List.of(TOPIC)), "Topic must be <string>, not <array>"),
                Arguments.of(Plist.tokenUpdate().with("AwaitingConfiguration", "true"),
                        "AwaitingConfiguration must be <boolean>, not <string>"),
                Arguments.of(Plist.tokenUpdate().with("NotOnConsole", 1), "NotOnConsole must be <boolean>, not <integer>"),
                Arguments.of(Plist.tokenUpdate().with("MessageType", true), "MessageType must be <string>, not <boolean>"),
                Arguments.of(Plist.device("GetToken").with("TokenServiceType", "com.apple.maid")
                        .with("TokenParameters", "x"), "TokenParameters must be <dict>, not <string>"),
                Arguments.of(watchPairing().with("TokenParameters", Plist.dict().with("SecurityToken", 1.5)),
                        "TokenParameters.SecurityToken must be <string>, not <real>"),
                Arguments.of(Plist.device("SetBootstrapToken").with("BootstrapToken", "secret"),
                        "BootstrapToken must be <data>, not <string>"),
                Arguments.of(Plist.device("DeclarativeManagement").with("Endpoint", "status").with("Data", "{}"),
                        "Data must be <data>, not <string>"));
    }

    @ParameterizedTest
    @MethodSource("wrongTypes")
    void wrongValueTypeNamesKeyAndExpectedType(Plist body, String reason) {
        for (Format format : Format.values()) {
            assertThatThrownBy(() -> decoder.decode(body.encode(format))).as(format.name())
                    .isInstanceOf(BadMessageException.class).hasMessage(reason);
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void unknownMessageTypeIsRefusedAndEchoedSafely(Format format) {
        assertThatThrownBy(() -> decoder.decode(Plist.device("Reboot\u0085Now").encode(format)))
                .isInstanceOf(BadMessageException.class).hasMessage("unknown MessageType \"Reboot?Now\"");
        assertThatThrownBy(() -> decoder.decode(Plist.device("tokenupdate").encode(format)))
                .isInstanceOf(BadMessageException.class).hasMessageStartingWith("unknown MessageType");
    }

    @ParameterizedTest
    @ValueSource(strings = {"com.apple.Maid", "com.apple.watch", "", "com.example.token"})
    void getTokenOutsideTheRangelistIsRefused(String service) {
        Plist body = Plist.device("GetToken").with("TokenServiceType", service);

        assertThatThrownBy(() -> decoder.decode(body.xml())).isInstanceOf(BadMessageException.class)
                .hasMessageStartingWith("unsupported TokenServiceType \"" + service + "\" (expected "
                        + GetToken.MAID + " or " + GetToken.WATCH_PAIRING + ")");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void nulInAStringIsRefusedBecausePostgresTextCannotHoldIt(Format format) {
        // XML 1.0 cannot even express NUL, so only the binary body reaches the check itself.
        byte[] body = format == Format.XML
                ? Plist.tokenUpdate().xmlText().replace("2E0AF5B8-7A7E", "2E0A&#0;F5B8").getBytes(StandardCharsets.UTF_8)
                : Plist.tokenUpdate().with("PushMagic", "2E0A\u0000F5B8").binary();

        assertThatThrownBy(() -> decoder.decode(body)).isInstanceOf(BadMessageException.class)
                .hasMessageContaining(format == Format.XML ? "malformed XML" : "PushMagic must not contain NUL");
    }

    @Test
    void nulInAnOptionalDeviceFactIsRefusedToo() {
        Plist body = Plist.device("Authenticate").with("Topic", TOPIC).with("DeviceName", "Ada\u0000s Mac");

        assertThatThrownBy(() -> decoder.decode(body.binary())).isInstanceOf(BadMessageException.class)
                .hasMessage("DeviceName must not contain NUL characters");
    }

    @Test
    void brokenUtf16NeverReachesStorage() throws Exception {
        // No well-behaved writer emits an unpaired surrogate, so the body is assembled by hand.
        RawBplist raw = new RawBplist();
        int[] keys = {raw.ascii("MessageType"), raw.ascii("UDID"), raw.ascii("Topic"), raw.ascii("DeviceName")};
        int[] values = {raw.ascii("Authenticate"), raw.ascii(UDID), raw.ascii(TOPIC), raw.utf16("Ada\uD800s Mac")};
        byte[] body = raw.build(raw.dict(keys, values));

        // dd-plist already substitutes U+FFFD; the decoder's own check is the backstop if that changes.
        Authenticate m = (Authenticate) decoder.decode(body);
        assertThat(m.deviceName()).startsWith("Ada").endsWith(" Mac")
                .matches(name -> name.chars().noneMatch(c -> Character.isSurrogate((char) c)), "has no unpaired surrogate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"declaration/../admin", "declaration/configuration", "declaration//x", "Tokens",
            "declaration/a/b/c", "declaration/a/..", "http://evil/", "status?x=1#"})
    void declarativeEndpointMustHaveTheSchemasShape(String endpoint) {
        Plist body = Plist.device("DeclarativeManagement").with("Endpoint", endpoint);

        assertThatThrownBy(() -> decoder.decode(body.xml())).isInstanceOf(BadMessageException.class)
                .hasMessageStartingWith("Endpoint must be tokens, declaration-items, status or");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tokens", "declaration-items", "status", "declaration/activation/com.example.act-1"})
    void declarativeEndpointsTheSchemaNamesAreAccepted(String endpoint) throws Exception {
        Plist body = Plist.device("DeclarativeManagement").with("Endpoint", endpoint);

        assertThat(decoder.decode(body.xml())).isNotNull();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void emptyTokenAndPushMagicAreRefused(Format format) {
        assertThatThrownBy(() -> decoder.decode(Plist.tokenUpdate().with("Token", new byte[0]).encode(format)))
                .isInstanceOf(BadMessageException.class).hasMessage("Token must not be empty");
        assertThatThrownBy(() -> decoder.decode(Plist.tokenUpdate().with("PushMagic", "").encode(format)))
                .isInstanceOf(BadMessageException.class).hasMessage("PushMagic must not be empty");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void rootMustBeADictionary(Format format) {
        byte[] body = format == Format.XML
                ? (Plist.HEADER + "<array><string>TokenUpdate</string></array></plist>").getBytes(StandardCharsets.UTF_8)
                : Plist.binaryOf(List.of("TokenUpdate"));

        assertThatThrownBy(() -> decoder.decode(body)).isInstanceOf(BadMessageException.class)
                .hasMessage("plist root must be <dict>, not <array>");
    }
}
