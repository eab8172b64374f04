package dev.mdmgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.gateway.Gateway;
import dev.mdmgw.gateway.plist.Plist;
import dev.mdmgw.persistence.testing.TestDatabase;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * DeclarativeManagement forwarded to a real local backend over sockets: each endpoint kind, the
 * enrollment headers and the HMAC, 2xx/4xx passed through, 5xx/timeout/refusal as 503.
 */
class DeclarativeManagementTest {
    private static final String HMAC_KEY = "ddm-shared-secret";

    /** What the backend received, by request path. */
    record Seen(String method, Map<String, String> headers, String body) {
    }

    private static final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private static DisposableServer backend;
    private static TestDatabase db;
    private static final List<Gateway> gateways = new ArrayList<>();
    private static GatewayClient client;

    @BeforeAll
    static void start() {
        backend = HttpServer.create().port(0).handle((req, res) -> req.receive().aggregate().asString()
                .defaultIfEmpty("")
                .flatMap(body -> {
                    Map<String, String> headers = new ConcurrentHashMap<>();
                    req.requestHeaders().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
                    seen.put(req.uri(), new Seen(req.method().name(), headers, body));
                    String path = req.uri();
                    if (path.endsWith("/unknown")) {
                        return res.status(404).header("Content-Type", "text/plain").sendString(Mono.just("no such declaration")).then();
                    }
                    if (path.endsWith("/broken")) {
                        return res.status(500).sendString(Mono.just("boom")).then();
                    }
                    if (path.endsWith("/slow")) {
                        return Mono.delay(Duration.ofSeconds(5)).then(res.status(200).send().then());
                    }
                    if (path.endsWith("/status")) {
                        return res.status(200).send().then();
                    }
                    return res.status(200).header("Content-Type", "application/json")
                            .sendString(Mono.just("{\"path\":\"" + path + "\"}")).then();
                })).bindNow();
        db = TestDatabase.create();
        client = gateway("MDMGW_DDM_URL", "http://127.0.0.1:" + backend.port() + "/ddm/", "MDMGW_DDM_HMAC_KEY", HMAC_KEY,
                "MDMGW_DDM_TIMEOUT_SECONDS", "1");
    }

    private static GatewayClient gateway(String... env) {
        Gateway g = Gateway.start(TestSettings.of(db.url(), null, env));
        gateways.add(g);
        return new GatewayClient(g.httpPort(), g.mgmtPort(), null);
    }

    @AfterAll
    static void stop() {
        gateways.forEach(Gateway::close);
        if (backend != null) {
            backend.disposeNow();
        }
        if (db != null) {
            db.close();
        }
    }

    private static HttpResponse<String> ddm(GatewayClient c, Plist body) {
        return c.checkin(body.xml());
    }

    private static Plist message(String udid, String endpoint) {
        return DevicePlist.of("DeclarativeManagement").with("UDID", udid).with("Endpoint", endpoint);
    }

    private static String hmac(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HMAC_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String udid() {
        return UUID.randomUUID().toString().toUpperCase();
    }

    @Test
    void readEndpointsAreForwardedAsGetsAndAnsweredAsTheBackendAnswers() throws Exception {
        String udid = udid();
        for (String endpoint : List.of("tokens", "declaration-items", "declaration/configuration/com.example.wifi")) {
            HttpResponse<String> r = ddm(client, message(udid, endpoint));
            assertThat(r.statusCode()).as(endpoint).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"path\":\"/ddm/" + endpoint + "\"}");
            assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
            Seen s = seen.get("/ddm/" + endpoint);
            assertThat(s.method()).isEqualTo("GET");
            assertThat(s.headers()).containsEntry("x-enrollment-id", udid).containsEntry("x-enrollment-type", "Device")
                    .doesNotContainKey("x-enrollment-parentid").containsEntry("x-hmac-signature", hmac(""));
        }
    }

    @Test
    void statusIsPutWithTheDecodedJsonAndItsHmac() throws Exception {
        String json = "{\"StatusItems\":{\"device\":{\"identifier\":{\"udid\":\"x\"}}},\"Errors\":[]}";
        String udid = udid();
        HttpResponse<String> r = ddm(client, message(udid, "status").with("Data", json.getBytes(StandardCharsets.UTF_8)));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        Seen s = seen.get("/ddm/status");
        assertThat(s.method()).isEqualTo("PUT");
        assertThat(s.body()).isEqualTo(json);
        assertThat(s.headers()).containsEntry("content-type", "application/json").containsEntry("x-hmac-signature", hmac(json));
    }

    @Test
    void aUserChannelNamesItsParent() {
        String udid = udid();
        Plist userChannel = message(udid, "declaration/configuration/user.one").with("UserID", "A1B2C3D4-0000-4000-8000-0000000000AA")
                .with("UserShortName", "alice").with("UserLongName", "Alice Appleseed");
        HttpResponse<String> r = ddm(client, userChannel);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Seen s = seen.get("/ddm/declaration/configuration/user.one");
        assertThat(s.headers()).containsEntry("x-enrollment-id", udid + ":A1B2C3D4-0000-4000-8000-0000000000AA")
                .containsEntry("x-enrollment-type", "User").containsEntry("x-enrollment-parentid", udid);
    }

    @Test
    void aBackend404ReachesTheDevice() {
        HttpResponse<String> r = ddm(client, message(udid(), "declaration/configuration/unknown"));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("no such declaration");
    }

    @Test
    void backendFaultsAreA503NeverA500() throws Exception {
        HttpResponse<String> broken = ddm(client, message(udid(), "declaration/configuration/broken"));
        assertThat(broken.statusCode()).isEqualTo(503);
        assertThat(broken.headers().firstValue("Retry-After")).isPresent();

        HttpResponse<String> slow = ddm(client, message(udid(), "declaration/configuration/slow"));
        assertThat(slow.statusCode()).isEqualTo(503);

        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        GatewayClient nowhere = gateway("MDMGW_DDM_URL", "http://127.0.0.1:" + closedPort, "MDMGW_DDM_TIMEOUT_SECONDS", "1");
        assertThat(ddm(nowhere, message(udid(), "tokens")).statusCode()).isEqualTo(503);
    }

    @Test
    void withoutABackendItIsA400() {
        HttpResponse<String> r = ddm(gateway(), message(udid(), "tokens"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("declarative management not configured");
    }
}
