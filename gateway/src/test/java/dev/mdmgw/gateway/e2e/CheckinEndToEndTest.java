package dev.mdmgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mdmgw.gateway.Gateway;
import dev.mdmgw.gateway.plist.Plist;
import dev.mdmgw.persistence.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The device endpoint and the admin API together, over real sockets, against a real PostgreSQL. */
class CheckinEndToEndTest {
    private static final String KEY = "test-admin-key";
    private static final HexFormat HEX = HexFormat.of();

    private static TestDatabase db;
    private static Gateway gateway;
    private static GatewayClient client;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        gateway = Gateway.start(TestSettings.of(db.url(), KEY, "MDMGW_MAX_BODY_BYTES", "65536"));
        client = new GatewayClient(gateway.httpPort(), gateway.mgmtPort(), KEY);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static String newUdid() {
        return UUID.randomUUID().toString().toUpperCase();
    }

    private static byte[] token(int seed) {
        byte[] t = new byte[32];
        for (int i = 0; i < t.length; i++) {
            t[i] = (byte) (seed * 31 + i);
        }
        return t;
    }

    private static void ok(Plist body) {
        HttpResponse<String> r = client.checkin(body.xml());
        assertThat(r.statusCode()).as("answer to %s", r.body()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void deviceChannelLifecycleIsReflectedByTheAdminApi() {
        String udid = newUdid();
        ok(DevicePlist.authenticate(udid));
        JsonNode e = client.enrollment(udid);
        assertThat(e.get("enabled").asBoolean()).isFalse();
        assertThat(e.get("type").asText()).isEqualTo("Device");
        assertThat(e.get("model").asText()).isEqualTo("iPhone15,2");
        assertThat(e.get("osVersion").asText()).isEqualTo("17.4");

        ok(DevicePlist.tokenUpdate("magic-1", token(1)).with("UDID", udid).with("UnlockToken", new byte[] {1, 2, 3}));
        e = client.enrollment(udid);
        assertThat(e.get("enabled").asBoolean()).isTrue();
        assertThat(e.get("pushMagic").asText()).isEqualTo("magic-1");
        assertThat(e.get("token").asText()).isEqualTo(HEX.formatHex(token(1)));
        assertThat(e.get("hasUnlockToken").asBoolean()).isTrue();
        assertThat(e.get("tokenUpdateCount").asLong()).isEqualTo(1);
        assertThat(e.get("topic").asText()).isEqualTo(DevicePlist.TOPIC);

        ok(DevicePlist.tokenUpdate("magic-2", token(2)).with("UDID", udid));
        e = client.enrollment(udid);
        assertThat(e.get("pushMagic").asText()).isEqualTo("magic-2");
        assertThat(e.get("token").asText()).isEqualTo(HEX.formatHex(token(2)));
        assertThat(e.get("hasUnlockToken").asBoolean()).as("an absent UnlockToken keeps the stored one").isTrue();
        assertThat(e.get("tokenUpdateCount").asLong()).isEqualTo(2);

        ok(DevicePlist.of("CheckOut").with("UDID", udid).with("Topic", DevicePlist.TOPIC));
        assertThat(client.enrollment(udid).get("enabled").asBoolean()).isFalse();
    }

    @Test
    void binaryPlistsAreStoredToo() {
        String udid = newUdid();
        HttpResponse<String> r = client.checkin(DevicePlist.tokenUpdate("binary-magic", token(12)).with("UDID", udid).binary());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode e = client.enrollment(udid);
        assertThat(e.get("pushMagic").asText()).isEqualTo("binary-magic");
        assertThat(e.get("token").asText()).isEqualTo(HEX.formatHex(token(12)));
    }

    @Test
    void reAuthenticateDisablesUntilTheNextTokenUpdate() {
        String udid = newUdid();
        ok(DevicePlist.authenticate(udid));
        ok(DevicePlist.tokenUpdate("m1", token(3)).with("UDID", udid).with("UnlockToken", new byte[] {9}));
        assertThat(client.enrollment(udid).get("enabled").asBoolean()).isTrue();

        ok(DevicePlist.authenticate(udid));
        JsonNode e = client.enrollment(udid);
        assertThat(e.get("enabled").asBoolean()).isFalse();
        assertThat(e.get("hasUnlockToken").asBoolean()).as("Authenticate clears the unlock token").isFalse();

        ok(DevicePlist.tokenUpdate("m2", token(4)).with("UDID", udid));
        e = client.enrollment(udid);
        assertThat(e.get("enabled").asBoolean()).isTrue();
        assertThat(e.get("pushMagic").asText()).isEqualTo("m2");
    }

    @Test
    void macUserChannel() {
        String udid = newUdid();
        String user = UUID.randomUUID().toString().toUpperCase();
        String id = udid + ":" + user;
        ok(DevicePlist.authenticate(udid));
        ok(DevicePlist.tokenUpdate("device-magic", token(5)).with("UDID", udid));
        ok(DevicePlist.tokenUpdate("user-magic", token(6)).with("UDID", udid).with("UserID", user)
                .with("UserShortName", "alice").with("UserLongName", "Alice Appleseed").with("NotOnConsole", false));
        JsonNode e = client.enrollment(id);
        assertThat(e.get("type").asText()).isEqualTo("User");
        assertThat(e.get("deviceId").asText()).isEqualTo(udid);
        assertThat(e.get("userId").asText()).isEqualTo(user);
        assertThat(e.get("pushMagic").asText()).isEqualTo("user-magic");
        assertThat(e.get("enabled").asBoolean()).isTrue();

        ok(DevicePlist.tokenUpdate("user-magic-2", token(7)).with("UDID", udid).with("UserID", user)
                .with("UserShortName", "alice").with("UserLongName", "Alice Appleseed").with("NotOnConsole", false));
        assertThat(client.enrollment(id).get("tokenUpdateCount").asLong()).isEqualTo(2);

        // CheckOut on the device channel takes the user channel down with it.
        ok(DevicePlist.of("CheckOut").with("UDID", udid).with("Topic", DevicePlist.TOPIC));
        assertThat(client.enrollment(id).get("enabled").asBoolean()).isFalse();
        assertThat(client.enrollment(udid).get("enabled").asBoolean()).isFalse();
    }

    @Test
    void sharedIpadUser() {
        String udid = newUdid();
        String id = udid + ":bob@example.edu";
        ok(DevicePlist.authenticate(udid));
        ok(DevicePlist.tokenUpdate("ipad-user-magic", token(8)).with("UDID", udid)
                .with("UserID", DevicePlist.SHARED_IPAD_USER).with("UserShortName", "bob@example.edu"));
        JsonNode e = client.enrollment(id);
        assertThat(e.get("type").asText()).isEqualTo("SharedIPad");
        assertThat(e.get("deviceId").asText()).isEqualTo(udid);
        assertThat(e.get("enabled").asBoolean()).isTrue();

        ok(DevicePlist.tokenUpdate("ipad-user-magic-2", token(9)).with("UDID", udid)
                .with("UserID", DevicePlist.SHARED_IPAD_USER).with("UserShortName", "bob@example.edu"));
        e = client.enrollment(id);
        assertThat(e.get("pushMagic").asText()).isEqualTo("ipad-user-magic-2");
        assertThat(e.get("tokenUpdateCount").asLong()).isEqualTo(2);
    }

    @Test
    void userEnrollmentDeviceAndUser() {
        String enrollmentId = "UE-" + newUdid();
        String userId = "EU-" + newUdid();
        ok(DevicePlist.of("Authenticate").with("EnrollmentID", enrollmentId).with("Topic", DevicePlist.TOPIC)
                .with("Model", "iPhone15,2").with("ModelName", "iPhone").with("DeviceName", "BYOD"));
        assertThat(client.enrollment(enrollmentId).get("type").asText()).isEqualTo("UserEnrollmentDevice");

        ok(DevicePlist.tokenUpdate("ue-device", token(10)).with("EnrollmentID", enrollmentId));
        ok(DevicePlist.tokenUpdate("ue-user", token(11)).with("EnrollmentID", enrollmentId)
                .with("EnrollmentUserID", userId).with("UserLongName", "Carol").with("NotOnConsole", false));
        JsonNode device = client.enrollment(enrollmentId);
        JsonNode user = client.enrollment(enrollmentId + ":" + userId);
        assertThat(device.get("enabled").asBoolean()).isTrue();
        assertThat(user.get("type").asText()).isEqualTo("UserEnrollment");
        assertThat(user.get("deviceId").asText()).isEqualTo(enrollmentId);
        assertThat(user.get("pushMagic").asText()).isEqualTo("ue-user");

        ok(DevicePlist.of("CheckOut").with("EnrollmentID", enrollmentId).with("Topic", DevicePlist.TOPIC));
        assertThat(client.enrollment(enrollmentId).get("enabled").asBoolean()).isFalse();
        assertThat(client.enrollment(enrollmentId + ":" + userId).get("enabled").asBoolean()).isFalse();
    }

    @Test
    void badInputIsRefusedWithAClearStatusNeverA401Or500() {
        HttpResponse<String> r = client.checkin("not a plist".getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);

        r = client.checkin(DevicePlist.tokenUpdate("m", token(1)).with("UDID", newUdid()).without("PushMagic").xml());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("PushMagic");

        r = client.checkin(DevicePlist.authenticate(newUdid()).xml(), "text/plain");
        assertThat(r.statusCode()).isEqualTo(415);

        r = client.checkin(DevicePlist.authenticate(newUdid()).with("Padding", "x".repeat(70 * 1024)).xml());
        assertThat(r.statusCode()).isEqualTo(413);

        r = client.checkin(DevicePlist.authenticate(newUdid()).with("Topic", "com.example.not-mdm").xml());
        assertThat(r.statusCode()).isEqualTo(403);

        r = client.checkin(DevicePlist.of("UserAuthenticate").with("UDID", newUdid())
                .with("UserID", "099C810D-B371-4729-8369-559BADA24F50").xml());
        assertThat(r.statusCode()).as("the default policy declines users").isEqualTo(410);

        r = client.checkin(DevicePlist.of("ReturnToService").with("UDID", newUdid()).xml());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<key>ReturnToService</key>").contains("<key>Enabled</key>").contains("<false/>");
    }

    @Test
    void listedTopicsAreTheOnlyOnesServed() {
        try (Gateway strict = Gateway.start(TestSettings.of(db.url(), KEY, "MDMGW_TOPICS", "com.apple.mgmt.only"))) {
            GatewayClient c = new GatewayClient(strict.httpPort(), strict.mgmtPort(), KEY);
            assertThat(c.checkin(DevicePlist.authenticate(newUdid()).xml()).statusCode()).isEqualTo(403);
            assertThat(c.checkin(DevicePlist.authenticate(newUdid()).with("Topic", "com.apple.mgmt.only").xml())
                    .statusCode()).isEqualTo(200);
        }
    }

    @Test
    void adminApiNeedsTheKey() {
        GatewayClient.Answer none = client.adminGet("/v1/organizations/default/mdm/apple/enrollments", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.body().get("status").asBoolean()).isFalse();
        assertThat(none.body().at("/error/code").asInt()).isEqualTo(4002);

        GatewayClient.Answer wrong = client.adminGet("/v1/organizations/default/mdm/apple/enrollments", "nope");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body().at("/error/code").asInt()).isEqualTo(4004);

        GatewayClient.Answer missing = client.adminGet("/v1/organizations/default/mdm/apple/enrollments/NOPE");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().at("/error/code").asInt()).isEqualTo(3001);

        GatewayClient.Answer badLimit = client.adminGet("/v1/organizations/default/mdm/apple/enrollments?limit=zero");
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.body().at("/error/code").asInt()).isEqualTo(5001);
        assertThat(badLimit.body().at("/error/message").asText()).contains("limit");
    }

    @Test
    void malformedAdminInputIsAValidationErrorNotAFault() {
        assertThat(client.rawGetStatus("/v1/organizations/default/mdm/apple/enrollments?page=%zz")).isEqualTo(400);
        assertThat(client.rawGetStatus("/v1/organizations/default/mdm/apple/enrollments/%zz")).isEqualTo(400);

        GatewayClient.Answer nul = client.adminGet("/v1/organizations/default/mdm/apple/enrollments/a%00b");
        assertThat(nul.status()).isEqualTo(404);

        GatewayClient.Answer push = client.adminPost("/v1/organizations/default/mdm/apple/enrollments/push-info",
                "{\"ids\": [\"a\\u0000b\"]}");
        assertThat(push.status()).isEqualTo(400);
        assertThat(push.body().at("/error/message").asText()).contains("ids");
    }

    @Test
    void adminApiIsClosedWithoutAKey() {
        try (Gateway closed = Gateway.start(TestSettings.of(db.url(), null))) {
            GatewayClient c = new GatewayClient(closed.httpPort(), closed.mgmtPort(), "anything");
            GatewayClient.Answer a = c.adminGet("/v1/organizations/default/mdm/apple/enrollments");
            assertThat(a.status()).isEqualTo(403);
            assertThat(a.body().at("/error/code").asInt()).isEqualTo(4003);
        }
    }

    @Test
    void listPagesAndPushInfo() {
        String a = newUdid();
        String b = newUdid();
        ok(DevicePlist.tokenUpdate("pa", token(20)).with("UDID", a));
        ok(DevicePlist.tokenUpdate("pb", token(21)).with("UDID", b));
        ok(DevicePlist.of("CheckOut").with("UDID", b).with("Topic", DevicePlist.TOPIC));

        GatewayClient.Answer page = client.adminGet("/v1/organizations/default/mdm/apple/enrollments?limit=1&page=1&enabled=true");
        assertThat(page.status()).isEqualTo(200);
        JsonNode data = page.body().get("data");
        assertThat(data.get("items")).hasSize(1);
        assertThat(data.get("limit").asInt()).isEqualTo(1);
        assertThat(data.get("page").asInt()).isEqualTo(1);
        assertThat(data.get("totalDocs").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(data.get("totalPages").asLong()).isEqualTo(data.get("totalDocs").asLong());

        GatewayClient.Answer push = client.adminPost("/v1/organizations/default/mdm/apple/enrollments/push-info",
                "{\"ids\": [\"" + a + "\", \"" + b + "\", \"unknown\"]}");
        assertThat(push.status()).isEqualTo(200);
        JsonNode items = push.body().at("/data/items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("id").asText()).isEqualTo(a);
        assertThat(items.get(0).get("pushMagic").asText()).isEqualTo("pa");
        assertThat(items.get(0).get("token").asText()).isEqualTo(HEX.formatHex(token(20)));
    }

    @Test
    void opsEndpoints() {
        ok(DevicePlist.tokenUpdate("metrics", token(30)).with("UDID", newUdid()));
        assertThat(client.mgmt("/healthz").statusCode()).isEqualTo(200);
        assertThat(client.mgmt("/readyz").statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = client.mgmt("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("mdmgw_checkin_requests_seconds_count{message_type=\"TokenUpdate\",status=\"200\"}")
                .contains("mdmgw_write_batch_size")
                .contains("mdmgw_write_queue_depth")
                .contains("r2dbc_pool_")
                .contains("jvm_memory_used_bytes");
    }
}
