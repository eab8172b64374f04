package dev.mdmgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.dd.plist.NSData;
import com.dd.plist.NSDictionary;
import com.dd.plist.PropertyListParser;
import dev.mdmgw.gateway.Gateway;
import dev.mdmgw.gateway.identity.TestPki;
import dev.mdmgw.persistence.testing.TestDatabase;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.Jwts;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GetToken over a real socket: com.apple.maid JWTs, and the 400s Apple requires. */
class GetTokenTest {
    private static final String SERVER_UUID = "7A7A6B2C-0F9E-4C39-9E5B-2F4C1D3E5A6B";

    @TempDir
    static Path dir;

    private static KeyPair signingKey;
    private static TestDatabase db;
    private static final List<Gateway> gateways = new ArrayList<>();
    private static GatewayClient client;

    @BeforeAll
    static void start() throws Exception {
        signingKey = TestPki.rsaKey();
        Path keyFile = Files.writeString(dir.resolve("maid.key"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(signingKey.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        db = TestDatabase.create();
        client = gateway("MDMGW_SERVER_UUID", SERVER_UUID, "MDMGW_TOKEN_SIGNING_KEY_FILE", keyFile.toString());
    }

    private static GatewayClient gateway(String... env) {
        Gateway g = Gateway.start(TestSettings.of(db.url(), null, env));
        gateways.add(g);
        return new GatewayClient(g.httpPort(), g.mgmtPort(), null);
    }

    @AfterAll
    static void stop() {
        gateways.forEach(Gateway::close);
        if (db != null) {
            db.close();
        }
    }

    private static HttpResponse<String> getToken(GatewayClient c, String serviceType) {
        return c.checkin(DevicePlist.of("GetToken").with("UDID", UUID.randomUUID().toString().toUpperCase())
                .with("TokenServiceType", serviceType).xml());
    }

    private static String tokenData(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as("answer: %s", r.body()).isEqualTo(200);
        NSDictionary dict = (NSDictionary) PropertyListParser.parse(r.body().getBytes(StandardCharsets.UTF_8));
        return new String(((NSData) dict.get("TokenData")).bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aMaidTokenIsAnRs256JwtWithExactlyTheAppleClaims() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        String jwt = tokenData(getToken(client, "com.apple.maid"));

        Jws<Claims> parsed = Jwts.parser().verifyWith(signingKey.getPublic()).build().parseSignedClaims(jwt);
        assertThat(parsed.getHeader().getAlgorithm()).isEqualTo("RS256");
        Claims claims = parsed.getPayload();
        assertThat(claims.keySet()).containsExactlyInAnyOrder("iss", "iat", "jti", "service_type");
        assertThat(claims.getIssuer()).isEqualTo(SERVER_UUID);
        assertThat(claims.get("service_type", String.class)).isEqualTo("com.apple.maid");
        assertThat(claims.getIssuedAt().toInstant()).isBetween(before, Instant.now().plus(Duration.ofSeconds(1)));
        assertThat(UUID.fromString(claims.getId())).isNotNull();
    }

    @Test
    void everyTokenHasItsOwnJti() throws Exception {
        String first = Jwts.parser().verifyWith(signingKey.getPublic()).build()
                .parseSignedClaims(tokenData(getToken(client, "com.apple.maid"))).getPayload().getId();
        String second = Jwts.parser().verifyWith(signingKey.getPublic()).build()
                .parseSignedClaims(tokenData(getToken(client, "com.apple.maid"))).getPayload().getId();
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void withoutTheServerUuidOrTheKeyMaidTokensAre400() {
        HttpResponse<String> r = getToken(gateway(), "com.apple.maid");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("MDMGW_SERVER_UUID").contains("MDMGW_TOKEN_SIGNING_KEY_FILE");

        HttpResponse<String> noKey = getToken(gateway("MDMGW_SERVER_UUID", SERVER_UUID), "com.apple.maid");
        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(noKey.body()).contains("MDMGW_TOKEN_SIGNING_KEY_FILE").doesNotContain("MDMGW_SERVER_UUID");
    }

    @Test
    void anUnknownServiceTypeIs400() {
        HttpResponse<String> r = getToken(client, "com.example.unknown");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("TokenServiceType");
    }
}
