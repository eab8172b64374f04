package dev.mdmgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.dd.plist.NSData;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSString;
import com.dd.plist.PropertyListParser;
import dev.mdmgw.gateway.Gateway;
import dev.mdmgw.persistence.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-organization settings through the admin API, and the UserAuthenticate and ReturnToService answers they drive. */
class OrganizationSettingsTest {
    private static final String KEY = "settings-admin-key";
    private static final byte[] WIFI = "wifi-profile".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MDM = "mdm-profile".getBytes(StandardCharsets.UTF_8);

    private static TestDatabase db;
    private static Gateway gateway;
    private static GatewayClient client;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        gateway = Gateway.start(TestSettings.of(db.url(), KEY));
        client = new GatewayClient(gateway.httpPort(), gateway.mgmtPort(), KEY);
        HttpResponse<String> put = putSettings("{\"userAuthenticate\": \"allow\", \"returnToService\": {\"enabled\": true, "
                + "\"wifiProfileData\": \"" + Base64.getEncoder().encodeToString(WIFI) + "\", \"mdmProfileData\": \""
                + Base64.getEncoder().encodeToString(MDM) + "\", \"includeBootstrapToken\": true}}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    }

    private static HttpResponse<String> putSettings(String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.httpPort() + "/v1/organizations/default/mdm/apple/settings"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
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

    private static NSDictionary plist(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as("answer: %s", r.body()).isEqualTo(200);
        return (NSDictionary) PropertyListParser.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void settingsReadBackAndBadOnesAreRefusedNamingTheField() throws Exception {
        GatewayClient.Answer a = client.adminGet("/v1/organizations/default/mdm/apple/settings");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().get("data").get("userAuthenticate").asText()).isEqualTo("allow");
        assertThat(a.body().get("data").get("returnToService").get("includeBootstrapToken").asBoolean()).isTrue();

        HttpResponse<String> bad = putSettings("{\"userAuthenticate\": \"maybe\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("5001").contains("userAuthenticate");
        assertThat(client.adminGet("/v1/organizations/nowhere/mdm/apple/settings").status()).isEqualTo(404);
    }

    @Test
    void anAllowedUserGetsAnEmptyChallengeThenATokenAndIsRecorded() throws Exception {
        String udid = UUID.randomUUID().toString().toUpperCase();
        String user = UUID.randomUUID().toString().toUpperCase();
        NSDictionary first = plist(client.checkin(DevicePlist.of("UserAuthenticate").with("UDID", udid)
                .with("UserID", user).xml()));
        assertThat(((NSString) first.get("DigestChallenge")).getContent()).isEmpty();

        NSDictionary second = plist(client.checkin(DevicePlist.of("UserAuthenticate").with("UDID", udid)
                .with("UserID", user).with("DigestResponse", "response").xml()));
        assertThat(((NSString) second.get("AuthToken")).getContent()).isNotEmpty();
        assertThat(db.column("SELECT user_id FROM user_authentications WHERE enrollment_id = '" + udid + ":" + user + "'"))
                .containsExactly(user);
    }

    @Test
    void returnToServiceAnswersTheConfiguredProfilesAndTheEscrowedToken() throws Exception {
        String udid = UUID.randomUUID().toString().toUpperCase();
        byte[] token = "bootstrap-token-bytes".getBytes(StandardCharsets.UTF_8);
        assertThat(client.checkin(DevicePlist.of("SetBootstrapToken").with("UDID", udid).with("BootstrapToken", token)
                .xml()).statusCode()).isEqualTo(200);

        NSDictionary rts = (NSDictionary) plist(client.checkin(DevicePlist.of("ReturnToService").with("UDID", udid).xml()))
                .get("ReturnToService");
        assertThat(((NSNumber) rts.get("Enabled")).boolValue()).isTrue();
        assertThat(((NSData) rts.get("WiFiProfileData")).bytes()).isEqualTo(WIFI);
        assertThat(((NSData) rts.get("MDMProfileData")).bytes()).isEqualTo(MDM);
        assertThat(((NSData) rts.get("BootstrapToken")).bytes()).isEqualTo(token);
    }
}
