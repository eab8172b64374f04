package dev.mdmgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.dd.plist.NSData;
import com.dd.plist.NSDictionary;
import com.dd.plist.PropertyListParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mdmgw.gateway.Gateway;
import dev.mdmgw.gateway.plist.Plist;
import dev.mdmgw.persistence.testing.TestDatabase;
import io.jsonwebtoken.Jwts;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Watch pairing: the phone gets a token by GetToken, the watch's MDM server verifies it once. */
class WatchPairingTest {
    private static final String KEY = "watch-admin-key";
    private static final byte[] PAIRING_KEY = new byte[32];
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestDatabase db;
    private static Gateway gateway;
    private static GatewayClient client;

    @BeforeAll
    static void start() {
        PAIRING_KEY[0] = 42;
        db = TestDatabase.create();
        gateway = Gateway.start(TestSettings.of(db.url(), KEY, "MDMGW_WATCH_PAIRING_KEY",
                Base64.getEncoder().encodeToString(PAIRING_KEY)));
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

    private static String udid() {
        return UUID.randomUUID().toString().toUpperCase();
    }

    private static Plist request(String phone, String phoneUdidParam, String watch) {
        Plist params = Plist.dict().with("SecurityToken", "sec-" + phone).with("PhoneUDID", phoneUdidParam)
                .with("WatchUDID", watch);
        return DevicePlist.of("GetToken").with("UDID", phone).with("TokenServiceType", "com.apple.watch.pairing")
                .with("TokenParameters", params);
    }

    private static String issue(String phone, String watch) throws Exception {
        HttpResponse<String> r = client.checkin(request(phone, phone, watch).xml());
        assertThat(r.statusCode()).as("answer: %s", r.body()).isEqualTo(200);
        NSDictionary dict = (NSDictionary) PropertyListParser.parse(r.body().getBytes(StandardCharsets.UTF_8));
        return new String(((NSData) dict.get("TokenData")).bytes(), StandardCharsets.UTF_8);
    }

    private static GatewayClient.Answer verify(String org, String token) throws Exception {
        return client.adminPost("/v1/organizations/" + org + "/mdm/apple/watch-pairing/verify",
                JSON.writeValueAsString(Map.of("token", token)));
    }

    private static void assertRefused(GatewayClient.Answer a, String why) {
        assertThat(a.status()).as("%s", a.body()).isEqualTo(400);
        assertThat(a.body().get("error").get("code").asInt()).isEqualTo(5002);
        assertThat(a.body().get("error").get("message").asText()).contains(why);
    }

    @Test
    void aFreshTokenVerifiesOnceThenIsRefused() throws Exception {
        String phone = udid();
        String watch = udid();
        String token = issue(phone, watch);

        GatewayClient.Answer first = verify("default", token);
        assertThat(first.status()).as("%s", first.body()).isEqualTo(200);
        assertThat(first.body().get("data").get("phoneUDID").asText()).isEqualTo(phone);
        assertThat(first.body().get("data").get("watchUDID").asText()).isEqualTo(watch);
        assertThat(first.body().get("data").get("securityToken").asText()).isEqualTo("sec-" + phone);
        assertThat(first.body().get("data").get("organization").asText()).isEqualTo("default");
        assertThat(Instant.parse(first.body().get("data").get("issuedAt").asText())).isBefore(Instant.now().plusSeconds(1));

        assertRefused(verify("default", token), "already used");
    }

    @Test
    void aTokenWithOneChangedByteIsRefused() throws Exception {
        String token = issue(udid(), udid());
        int at = token.indexOf('.') + 5;
        char changed = token.charAt(at) == 'A' ? 'B' : 'A';
        assertRefused(verify("default", token.substring(0, at) + changed + token.substring(at + 1)), "not valid");
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        String expired = Jwts.builder().header().type("mdmgw-watch-pairing").and()
                .id(UUID.randomUUID().toString())
                .issuedAt(Date.from(Instant.now().minusSeconds(7200)))
                .expiration(Date.from(Instant.now().minusSeconds(3600)))
                .claim("org", "default").claim("phoneUDID", "P").claim("watchUDID", "W").claim("securityToken", "S")
                .signWith(new SecretKeySpec(PAIRING_KEY, "HmacSHA256"), Jwts.SIG.HS256)
                .compact();
        assertRefused(verify("default", expired), "expired");
    }

    @Test
    void aTokenOfAnotherOrganizationIsRefused() throws Exception {
        String other = OrganizationsAndKeysTest.createOrg(client, KEY, "Other", OrganizationsAndKeysTest.topic());
        assertRefused(verify(other, issue(udid(), udid())), "not valid");
    }

    @Test
    void aPhoneCannotAskInAnotherPhonesName() {
        HttpResponse<String> r = client.checkin(request(udid(), udid(), udid()).xml());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("PhoneUDID");
    }

    @Test
    void missingTokenParametersAre400() {
        HttpResponse<String> r = client.checkin(DevicePlist.of("GetToken").with("UDID", udid())
                .with("TokenServiceType", "com.apple.watch.pairing").xml());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("TokenParameters");
    }
}
