package dev.mdmgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mdmgw.gateway.Gateway;
import dev.mdmgw.gateway.identity.TestPki;
import dev.mdmgw.gateway.plist.Plist;
import dev.mdmgw.persistence.testing.TestDatabase;
import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.tcp.SslProvider.GenericSslContextSpec;

/**
 * {@code MDMGW_DEVICE_AUTH=tls}: the gateway terminates mutual TLS itself. Real handshakes from
 * Reactor Netty's client, real PostgreSQL; the client blocks on the test thread only.
 */
class TlsIdentityTest {
    private static final String KEY = "test-admin-key";
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;

    private static TestDatabase db;
    private static Gateway gateway;
    /** Plain HTTP to the management port: metrics and, in tls mode, the admin API. */
    private static GatewayClient mgmt;
    private static TestPki.Ca serverCa;
    private static TestPki.Ca deviceCa;
    private static TestPki.Ca otherCa;
    /** One key for every device certificate: RSA key generation is the slow part. */
    private static KeyPair deviceKey;

    @BeforeAll
    static void start() {
        serverCa = TestPki.rootCa("Gateway Server CA");
        deviceCa = TestPki.rootCa("TLS Device CA");
        otherCa = TestPki.rootCa("Some Other CA");
        deviceKey = TestPki.rsaKey();
        TestPki.Device server = serverCa.server();
        db = TestDatabase.create();
        gateway = Gateway.start(TestSettings.of(db.url(), KEY,
                "MDMGW_DEVICE_AUTH", "tls",
                "MDMGW_TLS_CERT_FILE", server.writeCertificate(dir.resolve("server.pem")).toString(),
                "MDMGW_TLS_KEY_FILE", server.writeKey(dir.resolve("server.key")).toString(),
                "MDMGW_DEVICE_CA_FILE", deviceCa.writePem(dir, "device-ca.pem").toString()));
        mgmt = new GatewayClient(gateway.mgmtPort(), gateway.mgmtPort(), KEY);
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

    private static TestPki.Device device(TestPki.Ca ca, String cn) {
        return ca.device(cn, deviceKey, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)),
                KeyPurposeId.id_kp_clientAuth);
    }

    private static X509Certificate x509(X509CertificateHolder holder) {
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A client of the device port that trusts the server CA and presents {@code device} (with its
     * intermediates), or no certificate when null. One connection per request, so every request
     * is a full handshake with exactly this identity; no retry, so a refused handshake is seen once.
     */
    private static HttpClient deviceClient(TestPki.Device device) {
        return client(b -> {
            if (device != null) {
                b.keyManager(device.privateKey(), chain(device));
            }
        });
    }

    /**
     * Like {@link #deviceClient}, but presents {@code device} whatever CAs the server's certificate
     * request names, as OpenSSL-based clients do. The JDK's own key manager, asked for a certificate
     * from the device CA, would send none at all rather than one from another CA.
     */
    private static HttpClient insistingClient(TestPki.Device device) {
        X509Certificate[] chain = chain(device).toArray(X509Certificate[]::new);
        return client(b -> b.keyManager(new X509ExtendedKeyManager() {
            @Override
            public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
                return "device";
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return "device";
            }

            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return new String[] {"device"};
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return chain.clone();
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return device.privateKey();
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return null;
            }
        }));
    }

    private static HttpClient client(Consumer<SslContextBuilder> identity) {
        return client(HttpClient.newConnection(), identity);
    }

    private static HttpClient client(HttpClient base, Consumer<SslContextBuilder> identity) {
        // Typed as the generic spec: sslContext(ProtocolSslContextSpec) is deprecated.
        GenericSslContextSpec<SslContextBuilder> tls = Http11SslContextSpec.forClient()
                .configure(b -> identity.accept(b.trustManager(x509(serverCa.certificate()))));
        return base
                .disableRetry(true)
                .baseUrl("https://127.0.0.1:" + gateway.httpPort())
                .responseTimeout(TIMEOUT)
                .secure(spec -> spec.sslContext(tls));
    }

    private static List<X509Certificate> chain(TestPki.Device device) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(device.x509());
        device.intermediates().forEach(c -> chain.add(x509(c)));
        return chain;
    }

    record Answer(int status, String contentType, String body) {
    }

    private static Answer checkin(HttpClient client, Plist body) {
        byte[] bytes = body.xml();
        return client.headers(h -> h.set("Content-Type", GatewayClient.CHECKIN_TYPE))
                .put()
                .uri("/mdm/checkin")
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(bytes)))
                .responseSingle((res, content) -> content.asString()
                        .defaultIfEmpty("")
                        .map(text -> new Answer(res.status().code(), res.responseHeaders().get("Content-Type"), text)))
                .block(TIMEOUT);
    }

    private static void ok(HttpClient client, Plist body) {
        Answer a = checkin(client, body);
        assertThat(a.status()).as("answer to %s: %s", body, a.body()).isEqualTo(200);
    }

    private static void refused(Answer a, String reason) {
        assertThat(a.status()).as(a.body()).isEqualTo(403);
        assertThat(a.contentType()).startsWith("text/plain");
        assertThat(a.body()).contains(reason);
    }

    private static int enrollmentStatus(String id) {
        return mgmt.adminGet("/v1/organizations/default/mdm/apple/enrollments/" + GatewayClient.encode(id)).status();
    }

    @Test
    void validDeviceGetsThroughEveryMessageTypeOverMutualTls() {
        HttpClient client = deviceClient(device(deviceCa, "every-type"));
        String udid = newUdid();
        for (Map.Entry<String, Plist> m : DevicePlist.everyType(udid).entrySet()) {
            Answer a = checkin(client, m.getValue());
            switch (m.getKey()) {
                case "Authenticate", "TokenUpdate", "CheckOut" ->
                        assertThat(a.status()).as("%s: %s", m.getKey(), a.body()).isEqualTo(200);
                default -> {
                    // Served, or (no handler yet) a 400 "not supported yet" after identity passed: never a 403.
                    assertThat(a.status()).as("%s: %s", m.getKey(), a.body()).isNotEqualTo(403);
                    if (a.status() != 200) {
                        assertThat(a.body()).as("%s answered %d", m.getKey(), a.status())
                                .containsAnyOf("not supported yet", "not configured", "declines");
                    }
                }
            }
            if (m.getKey().equals("TokenUpdate")) {
                assertThat(mgmt.enrollment(udid).get("pushMagic").asText()).isEqualTo("magic-" + udid);
            }
        }
        assertThat(mgmt.enrollment(udid).get("enabled").asBoolean()).as("CheckOut went through").isFalse();
    }

    @Test
    void aKeptAliveConnectionKeepsItsIdentity() {
        ConnectionProvider one = ConnectionProvider.create("one-device", 1);
        try {
            AtomicInteger connections = new AtomicInteger();
            TestPki.Device device = device(deviceCa, "keep-alive");
            HttpClient client = client(HttpClient.create(one).doOnChannelInit((o, ch, addr) -> connections.incrementAndGet()),
                    b -> b.keyManager(device.privateKey(), chain(device)));
            String udid = newUdid();
            ok(client, DevicePlist.authenticate(udid));
            ok(client, DevicePlist.tokenUpdate("magic-kept", new byte[32]).with("UDID", udid));
            ok(client, DevicePlist.of("CheckOut").with("UDID", udid).with("Topic", DevicePlist.TOPIC));
            assertThat(connections).as("one connection for the three check-ins").hasValue(1);
            assertThat(mgmt.enrollment(udid).get("pushMagic").asText()).isEqualTo("magic-kept");
        } finally {
            one.disposeLater().block(TIMEOUT);
        }
    }

    @Test
    void deviceIssuedByAnIntermediateSendsItsChain() {
        TestPki.Ca intermediate = deviceCa.intermediate("TLS Device Issuing CA");
        HttpClient client = deviceClient(device(intermediate, "via-intermediate"));
        String udid = newUdid();
        ok(client, DevicePlist.authenticate(udid));
        ok(client, DevicePlist.tokenUpdate("magic-intermediate", new byte[32]).with("UDID", udid));
        assertThat(mgmt.enrollment(udid).get("enabled").asBoolean()).isTrue();
    }

    @Test
    void noClientCertificateNoService() {
        String udid = newUdid();
        double missing = mgmt.identityFailures("missing");
        Throwable failure = catchThrowable(() -> {
            Answer a = checkin(deviceClient(null), DevicePlist.authenticate(udid));
            throw new AssertionError("a client without a certificate was answered " + a.status() + ": " + a.body());
        });
        assertThat(failure).as("the handshake or the connection fails").isNotNull().isNotInstanceOf(AssertionError.class);
        assertThat(enrollmentStatus(udid)).as("nothing stored").isEqualTo(404);
        assertThat(mgmt.identityFailures("missing")).isEqualTo(missing + 1);
    }

    @Test
    void clientCertificateFromAnotherCaIsRefusedInTheHandshake() {
        refusedInTheHandshake(device(otherCa, "stranger"), "untrusted");
    }

    @Test
    void expiredClientCertificateIsRefusedInTheHandshake() {
        refusedInTheHandshake(deviceCa.device("expired", deviceKey, Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(1)), KeyPurposeId.id_kp_clientAuth), "expired");
    }

    /** No answer at all, one more {@code reason} on the identity failure metric, nothing stored. */
    private static void refusedInTheHandshake(TestPki.Device device, String reason) {
        String udid = newUdid();
        double before = mgmt.identityFailures(reason);
        Throwable failure = catchThrowable(() -> {
            Answer a = checkin(insistingClient(device), DevicePlist.authenticate(udid));
            throw new AssertionError("a refused certificate was answered " + a.status() + ": " + a.body());
        });
        assertThat(failure).as("the handshake or the connection fails").isNotNull().isNotInstanceOf(AssertionError.class);
        assertThat(mgmt.identityFailures(reason) - before).isEqualTo(1);
        assertThat(enrollmentStatus(udid)).as("nothing stored").isEqualTo(404);
    }

    @Test
    void aDevicesCertificateCannotSpeakForAnother() {
        HttpClient a = deviceClient(device(deviceCa, "device-a"));
        HttpClient b = deviceClient(device(deviceCa, "device-b"));
        String udidA = newUdid();
        String udidB = newUdid();
        ok(a, DevicePlist.authenticate(udidA));
        ok(b, DevicePlist.authenticate(udidB));
        ok(b, DevicePlist.tokenUpdate("magic-b", new byte[32]).with("UDID", udidB));
        JsonNode stored = mgmt.enrollment(udidB);

        double before = mgmt.identityFailures("bound_elsewhere");
        refused(checkin(a, DevicePlist.tokenUpdate("magic-from-a", new byte[32]).with("UDID", udidB)),
                "bound to another device");
        // Nor any other message, nor a new Authenticate that would take B over.
        Map<String, Plist> asB = DevicePlist.everyType(udidB);
        for (Map.Entry<String, Plist> m : asB.entrySet()) {
            Answer r = checkin(a, m.getValue());
            assertThat(r.status()).as("%s with A's certificate for B: %s", m.getKey(), r.body()).isEqualTo(403);
            refused(r, "bound to another device");
        }
        assertThat(mgmt.identityFailures("bound_elsewhere") - before).isEqualTo(1 + asB.size());
        assertThat(mgmt.enrollment(udidB)).as("B's enrollment is unchanged").isEqualTo(stored);

        ok(b, DevicePlist.tokenUpdate("magic-b-2", new byte[32]).with("UDID", udidB));
        assertThat(mgmt.enrollment(udidB).get("pushMagic").asText()).as("B still speaks for itself").isEqualTo("magic-b-2");
    }

    @Test
    void adminApiAnswersOnTheManagementPortOnly() {
        HttpClient client = deviceClient(device(deviceCa, "admin-check"));
        String udid = newUdid();
        ok(client, DevicePlist.authenticate(udid));

        GatewayClient.Answer a = mgmt.adminGet("/v1/organizations/default/mdm/apple/enrollments/" + udid);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().at("/data/id").asText()).isEqualTo(udid);
        assertThat(mgmt.adminGet("/v1/organizations/default/mdm/apple/enrollments/" + udid, "wrong-key").status())
                .isEqualTo(401);

        // The device port, even with a valid device certificate, serves no admin API.
        Integer status = client.headers(h -> h.set("Authorization", "Bearer " + KEY))
                .get()
                .uri("/v1/organizations/default/mdm/apple/enrollments/" + udid)
                .responseSingle((res, content) -> Mono.just(res.status().code()))
                .block(TIMEOUT);
        assertThat(status).isEqualTo(404);
    }
}
