package dev.mdmgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.gateway.Gateway;
import dev.mdmgw.gateway.identity.TestPki;
import dev.mdmgw.gateway.plist.Plist;
import dev.mdmgw.persistence.testing.TestDatabase;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code MDMGW_DEVICE_AUTH=header}: a TLS-terminating proxy forwards the client certificate in a
 * header, RFC 9440 {@code :base64(DER):} or nginx's URL-escaped PEM. Real sockets, real PostgreSQL.
 */
class HeaderIdentityTest {
    private static final String KEY = "test-admin-key";
    private static final String HEADER = "X-SSL-Client-Cert";

    @TempDir
    static Path dir;

    private static TestDatabase db;
    private static Gateway gateway;
    private static GatewayClient client;
    private static TestPki.Ca deviceCa;
    private static TestPki.Ca otherCa;
    /** One key for every device certificate: RSA key generation is the slow part. */
    private static KeyPair deviceKey;

    @BeforeAll
    static void start() {
        deviceCa = TestPki.rootCa("Header Device CA");
        otherCa = TestPki.rootCa("Some Other CA");
        deviceKey = TestPki.rsaKey();
        Path caFile = deviceCa.writePem(dir, "device-ca.pem");
        db = TestDatabase.create();
        gateway = Gateway.start(TestSettings.of(db.url(), KEY,
                "MDMGW_DEVICE_AUTH", "header",
                "MDMGW_CERT_HEADER", HEADER,
                "MDMGW_DEVICE_CA_FILE", caFile.toString()));
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

    private static TestPki.Device device(TestPki.Ca ca, String cn) {
        return ca.device(cn, deviceKey, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)),
                KeyPurposeId.id_kp_clientAuth);
    }

    private static HttpResponse<String> checkin(Plist body, String certificateHeader) {
        return client.checkin(body.xml(), HEADER, certificateHeader);
    }

    private static void ok(Plist body, String certificateHeader) {
        HttpResponse<String> r = checkin(body, certificateHeader);
        assertThat(r.statusCode()).as("answer to %s: %s", body, r.body()).isEqualTo(200);
    }

    /** A 403 with a plain-text reason that says {@code reason}. */
    private static void refused(HttpResponse<String> r, String reason) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(r.body()).contains(reason);
    }

    @Test
    void validDeviceGetsThroughEveryMessageType() {
        String udid = newUdid();
        String cert = device(deviceCa, "every-type").rfc9440();
        for (Map.Entry<String, Plist> m : DevicePlist.everyType(udid).entrySet()) {
            HttpResponse<String> r = checkin(m.getValue(), cert);
            switch (m.getKey()) {
                case "Authenticate", "TokenUpdate", "CheckOut" ->
                        assertThat(r.statusCode()).as("%s: %s", m.getKey(), r.body()).isEqualTo(200);
                default -> identityPassed(m.getKey(), r);
            }
            if (m.getKey().equals("TokenUpdate")) {
                assertThat(client.enrollment(udid).get("enabled").asBoolean()).isTrue();
            }
        }
        assertThat(client.enrollment(udid).get("enabled").asBoolean()).as("CheckOut went through").isFalse();
    }

    /** Served, or (no handler yet) refused with a 400 "not supported yet" after identity passed: never a 403. */
    private static void identityPassed(String messageType, HttpResponse<String> r) {
        assertThat(r.statusCode()).as("%s: %s", messageType, r.body()).isNotEqualTo(403);
        if (r.statusCode() != 200) {
            assertThat(r.body()).as("%s answered %d", messageType, r.statusCode())
                    .containsAnyOf("not supported yet", "not configured", "declines");
        }
    }

    @Test
    void bothHeaderFormatsAreAcceptedInterchangeably() {
        TestPki.Device a = device(deviceCa, "format-a");
        String udidA = newUdid();
        ok(DevicePlist.authenticate(udidA), a.rfc9440());
        ok(DevicePlist.tokenUpdate("magic-a", new byte[32]).with("UDID", udidA), a.escapedPem());
        assertThat(client.enrollment(udidA).get("pushMagic").asText()).isEqualTo("magic-a");

        TestPki.Device b = device(deviceCa, "format-b");
        String udidB = newUdid();
        ok(DevicePlist.authenticate(udidB), b.escapedPem());
        ok(DevicePlist.tokenUpdate("magic-b", new byte[32]).with("UDID", udidB), b.rfc9440());
        assertThat(client.enrollment(udidB).get("pushMagic").asText()).isEqualTo("magic-b");
    }

    @Test
    void escapedPemKeepsALiteralPlusAsBase64() {
        // Some proxies escape only what a header cannot carry (line breaks, spaces): a '+' left as
        // is belongs to the base64, it is not a form-encoded space.
        TestPki.Device d = device(deviceCa, "plus");
        String minimal = d.pem().replace("\r", "").replace("\n", "%0A").replace(" ", "%20");
        assertThat(minimal).as("the test needs a literal '+' in the base64").contains("+");
        String udid = newUdid();
        ok(DevicePlist.authenticate(udid), minimal);
        ok(DevicePlist.tokenUpdate("magic-plus", new byte[32]).with("UDID", udid), d.rfc9440());
    }

    @Test
    void malformedValuesAreRefusedAsUntrusted() {
        TestPki.Device d = device(deviceCa, "malformed");
        String base64 = Base64.getEncoder().encodeToString(d.der());
        String escaped = d.escapedPem();

        Map<String, String> malformed = new LinkedHashMap<>();
        malformed.put("garbage", "not a certificate at all");
        malformed.put("base64 of garbage between colons", ":" + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}) + ":");
        malformed.put("truncated base64 between colons", ":" + base64.substring(0, 101) + ":");
        malformed.put("truncated DER between colons", ":" + base64.substring(0, 400) + ":");
        malformed.put("not base64 between colons", ":" + base64.substring(0, 40) + "*&^" + base64.substring(40) + ":");
        malformed.put("PEM with broken base64", escapedPem(base64.substring(0, 601)));
        malformed.put("PEM of a truncated certificate", escapedPem(base64.substring(0, 600)));
        malformed.put("PEM without its END line", escaped.substring(0, escaped.indexOf("-----END")));
        malformed.put("bad %-escape", escaped.replaceFirst("%0A", "%ZZ"));
        malformed.put("truncated %-escape", escaped.substring(0, escaped.length() - 3) + "%0");

        String udid = newUdid();
        double before = client.identityFailures("untrusted");
        for (Map.Entry<String, String> m : malformed.entrySet()) {
            HttpResponse<String> r = checkin(DevicePlist.authenticate(udid), m.getValue());
            assertThat(r.statusCode()).as("%s: %s", m.getKey(), r.body()).isEqualTo(403);
            refused(r, HEADER + " does not hold a certificate");
        }
        // Readable, but one byte of its public key changed: its CA's signature no longer holds.
        String altered = escapedPem(base64.substring(0, 300) + (base64.charAt(300) == 'A' ? 'B' : 'A') + base64.substring(301));
        refused(checkin(DevicePlist.authenticate(udid), altered), "does not chain to the device CA");
        assertThat(client.identityFailures("untrusted") - before).isEqualTo(malformed.size() + 1);
        assertThat(client.adminGet("/v1/organizations/default/mdm/apple/enrollments/" + udid).status())
                .as("nothing stored for a refused Authenticate").isEqualTo(404);
    }

    /** nginx's escaping of a PEM around {@code base64}, whatever that holds. */
    private static String escapedPem(String base64) {
        String pem = "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
        return URLEncoder.encode(pem, StandardCharsets.US_ASCII).replace("+", "%20");
    }

    @Test
    void missingHeaderIsRefused() {
        double before = client.identityFailures("missing");
        HttpResponse<String> r = client.checkin(DevicePlist.authenticate(newUdid()).xml());
        refused(r, "no client certificate in " + HEADER);
        assertThat(client.identityFailures("missing") - before).isEqualTo(1);
    }

    @Test
    void certificateFromAnotherCaIsRefused() {
        String udid = newUdid();
        double before = client.identityFailures("untrusted");
        refused(checkin(DevicePlist.authenticate(udid), device(otherCa, "stranger").rfc9440()), "does not chain to the device CA");
        assertThat(client.identityFailures("untrusted") - before).isEqualTo(1);
        assertThat(client.adminGet("/v1/organizations/default/mdm/apple/enrollments/" + udid).status()).isEqualTo(404);
    }

    @Test
    void expiredCertificateIsRefused() {
        TestPki.Device expired = deviceCa.device("expired", deviceKey, Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(1)), KeyPurposeId.id_kp_clientAuth);
        double before = client.identityFailures("expired");
        refused(checkin(DevicePlist.authenticate(newUdid()), expired.escapedPem()), "expired");
        assertThat(client.identityFailures("expired") - before).isEqualTo(1);
    }

    @Test
    void aHeaderSentTwiceIsRefused() {
        String udid = newUdid();
        TestPki.Device device = device(deviceCa, udid);
        double before = client.identityFailures("untrusted");
        HttpResponse<String> r = client.checkin(DevicePlist.authenticate(udid).xml(), HEADER, device.rfc9440(), HEADER,
                device.rfc9440());
        refused(r, "more than once");
        assertThat(client.identityFailures("untrusted") - before).isEqualTo(1);
    }
}
