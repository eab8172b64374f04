package dev.mdmgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mdmgw.gateway.identity.TestPki;
import dev.mdmgw.gateway.plist.Plist;
import dev.mdmgw.persistence.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full run of the real jar at DEBUG, with every kind of secret going through it (push tokens,
 * PushMagic, UnlockToken, a bootstrap token, the admin key and a wrong one, a refused identity, a
 * malformed body): none of them appears in its logs, in any encoding, while the lines about
 * requests carry a request id and an enrollment id.
 */
class LogSecretsIT {
    private static final String ADMIN_KEY = "admin-key-7f3c9a1e5b";
    private static final String WRONG_KEY = "wrong-key-0c4d8e2a6f";
    private static final String PUSH_MAGIC = "PUSHMAGIC-5E1A9C3F-77B2";
    private static final byte[] TOKEN = HexFormat.of().parseHex("c0ffee11" + "22334455667788990011223344556677" + "8899aabbccddeeff");
    private static final byte[] UNLOCK_TOKEN = "UNLOCK-TOKEN-SECRET-4b1d".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BOOTSTRAP_TOKEN = "BOOTSTRAP-TOKEN-SECRET-9e2f".getBytes(StandardCharsets.UTF_8);
    private static final String BODY_MARKER = "BODY-MARKER-3a7c";

    @TempDir
    Path dir;

    @Test
    void noSecretReachesTheLogsAndRequestLinesNameTheirRequestAndEnrollment() throws Exception {
        TestPki.Ca ca = TestPki.rootCa("Log Test Device CA");
        String udid = "LOGS-0001";
        TestPki.Device device = IdentityProbe.identity(ca, udid);
        TestPki.Device stranger = IdentityProbe.identity(ca, "LOGS-STRANGER");
        List<String> lines;
        try (TestDatabase db = TestDatabase.create(LogSecretsIT.class);
                GatewayProcess gateway = GatewayProcess.start(Map.of(
                        "MDMGW_DB_URL", db.url(),
                        "MDMGW_HTTP_PORT", "0",
                        "MDMGW_MGMT_PORT", "0",
                        "MDMGW_DEVICE_AUTH", "signature",
                        "MDMGW_DEVICE_CA_FILE", ca.writePem(dir, "ca.pem").toString(),
                        "MDMGW_ADMIN_API_KEY", ADMIN_KEY,
                        "MDMGW_BOOTSTRAP_KEYS", TestSettings.TEST_BOOTSTRAP_KEY,
                        "MDMGW_LOG_LEVEL", "DEBUG"))) {
            GatewayClient client = new GatewayClient(gateway.httpPort(), gateway.mgmtPort(), ADMIN_KEY);
            assertThat(IdentityProbe.signed(client, device, DevicePlist.authenticate(udid)).statusCode()).isEqualTo(200);
            Plist tokenUpdate = DevicePlist.tokenUpdate(PUSH_MAGIC, TOKEN).with("UDID", udid).with("UnlockToken", UNLOCK_TOKEN);
            assertThat(IdentityProbe.signed(client, device, tokenUpdate).statusCode()).isEqualTo(200);
            assertThat(IdentityProbe.signed(client, device, DevicePlist.of("SetBootstrapToken").with("UDID", udid)
                    .with("BootstrapToken", BOOTSTRAP_TOKEN)).statusCode()).isEqualTo(200);
            assertThat(IdentityProbe.signed(client, device, DevicePlist.of("GetBootstrapToken").with("UDID", udid))
                    .body()).isNotEmpty();
            // Someone else's certificate for this device: refused, and logged as such.
            assertThat(IdentityProbe.signed(client, stranger, tokenUpdate).statusCode()).isEqualTo(403);
            assertThat(client.checkin(("<plist>" + BODY_MARKER + Base64.getEncoder().encodeToString(TOKEN))
                    .getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
            assertThat(client.adminGet("/v1/organizations/default/mdm/apple/enrollments/" + udid).status()).isEqualTo(200);
            assertThat(client.adminGet("/v1/organizations/default/mdm/apple/enrollments/" + udid, WRONG_KEY).status())
                    .isEqualTo(401);

            gateway.sigterm();
            assertThat(gateway.awaitExit(60)).isZero();
            lines = gateway.lines();
            assertRequestLinesAreIdentified(gateway.events(), udid);
        }

        String logs = String.join("\n", lines);
        List<String> secrets = new ArrayList<>(List.of(ADMIN_KEY, WRONG_KEY, PUSH_MAGIC, BODY_MARKER,
                TestSettings.TEST_BOOTSTRAP_KEY.substring(TestSettings.TEST_BOOTSTRAP_KEY.indexOf(':') + 1),
                "PRIVATE KEY", "<plist", "<dict>"));
        for (byte[] secret : List.of(TOKEN, UNLOCK_TOKEN, BOOTSTRAP_TOKEN)) {
            secrets.add(HexFormat.of().formatHex(secret));
            secrets.add(HexFormat.of().withUpperCase().formatHex(secret));
            // Any 12-character window of the base64 form, so a shifted encoding is caught too.
            secrets.add(Base64.getEncoder().encodeToString(secret).substring(4, 16));
            secrets.add(new String(secret, StandardCharsets.ISO_8859_1));
        }
        for (String secret : secrets) {
            assertThat(logs).as("the logs hold %s", secret).doesNotContainIgnoringCase(secret);
        }
    }

    private static void assertRequestLinesAreIdentified(List<JsonNode> events, String udid) {
        assertThat(events).as("JSON log lines").isNotEmpty();
        List<JsonNode> answered = events.stream().filter(e -> e.path("message").asText().equals("check-in answered")).toList();
        assertThat(answered).as("a DEBUG line per answered check-in").hasSizeGreaterThanOrEqualTo(6);
        for (JsonNode e : answered) {
            assertThat(e.path("request_id").asText()).isNotBlank();
            assertThat(e.has("enrollment_id")).isTrue();
        }
        assertThat(answered).anyMatch(e -> e.path("enrollment_id").asText().equals(udid)
                && e.path("message_type").asText().equals("TokenUpdate") && e.path("status").asInt() == 200);
        assertThat(answered.stream().map(e -> e.path("request_id").asText()).distinct().count())
                .isEqualTo(answered.size());
        assertThat(events).anyMatch(e -> e.path("message").asText().startsWith("device identity refused")
                && e.path("enrollment_id").asText().equals(udid));
    }
}
