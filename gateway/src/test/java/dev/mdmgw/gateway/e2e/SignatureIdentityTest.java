package dev.mdmgw.gateway.e2e;

import static dev.mdmgw.gateway.e2e.IdentityProbe.failures;
import static dev.mdmgw.gateway.e2e.IdentityProbe.identity;
import static dev.mdmgw.gateway.e2e.IdentityProbe.rowsOf;
import static dev.mdmgw.gateway.e2e.IdentityProbe.signed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.gateway.Gateway;
import dev.mdmgw.gateway.identity.TestPki;
import dev.mdmgw.gateway.plist.Plist;
import dev.mdmgw.persistence.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code MDMGW_DEVICE_AUTH=signature} over real sockets and a real PostgreSQL: the Mdm-Signature
 * proves the body, the certificate chains to the device CA, and it speaks only for the device it
 * was bound to by Authenticate.
 */
class SignatureIdentityTest {
    private static final String KEY = "identity-admin-key";

    @TempDir
    static Path dir;

    private static TestPki.Ca ca;
    private static TestPki.Ca rogue;
    private static TestDatabase db;
    private static Gateway gateway;
    private static GatewayClient client;

    @BeforeAll
    static void start() {
        ca = TestPki.rootCa("device CA");
        rogue = TestPki.rootCa("rogue CA");
        db = TestDatabase.create();
        gateway = Gateway.start(TestSettings.of(db.url(), KEY, "MDMGW_DEVICE_AUTH", "signature",
                "MDMGW_DEVICE_CA_FILE", ca.writePem(dir, "ca.pem").toString()));
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

    /** Authenticate then TokenUpdate, both signed with {@code identity}: the device is enrolled. */
    private static TestPki.Device enroll(String udid) {
        TestPki.Device identity = identity(ca, udid);
        assertStatus(signed(client, identity, DevicePlist.authenticate(udid)), 200);
        assertStatus(signed(client, identity, DevicePlist.tokenUpdate("magic-" + udid, new byte[32]).with("UDID", udid)), 200);
        return identity;
    }

    private static void assertStatus(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as("answer: %s", r.body()).isEqualTo(status);
    }

    private static Plist tokenUpdate(String udid) {
        return DevicePlist.tokenUpdate("magic-" + UUID.randomUUID(), new byte[32]).with("UDID", udid);
    }

    private static Plist userChannel(String udid) {
        return tokenUpdate(udid).with("UserID", "A1B2C3D4-0000-4000-8000-000000000001").with("UserShortName", "alice")
                .with("UserLongName", "Alice Appleseed").with("NotOnConsole", false);
    }

    @Test
    void aValidDeviceGetsThroughEveryMessage() {
        String udid = newUdid();
        TestPki.Device identity = identity(ca, udid);
        // What each type answers once identity passed, on a gateway without maid key or DDM backend.
        Map<String, Integer> expected = Map.of("Authenticate", 200, "TokenUpdate", 200, "SetBootstrapToken", 200,
                "GetBootstrapToken", 200, "GetToken", 400, "UserAuthenticate", 410, "DeclarativeManagement", 400,
                "ReturnToService", 200, "CheckOut", 200);
        for (Map.Entry<String, Plist> m : DevicePlist.everyType(udid).entrySet()) {
            HttpResponse<String> r = signed(client, identity, m.getValue());
            assertThat(r.statusCode()).as("%s: %s", m.getKey(), r.body()).isEqualTo(expected.get(m.getKey()));
            if (r.statusCode() == 400) {
                assertThat(r.body()).contains("not configured");
            }
        }
        assertThat(client.enrollment(udid).get("tokenUpdateCount").asLong()).isEqualTo(1);
    }

    @Test
    void aBodyAlteredByOneByteIsRefused() {
        String udid = newUdid();
        TestPki.Device identity = enroll(udid);
        byte[] body = tokenUpdate(udid).xml();
        String signature = identity.sign(body);
        int at = new String(body, StandardCharsets.US_ASCII).indexOf("magic-") + 6;
        body[at] ^= 1;
        double before = failures(client, "bad_signature");

        HttpResponse<String> r = client.checkin(body, "Mdm-Signature", signature);

        assertStatus(r, 403);
        assertThat(r.body()).contains("does not match the body");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(failures(client, "bad_signature")).isEqualTo(before + 1);
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() {
        String udid = newUdid();
        double before = failures(client, "untrusted");
        HttpResponse<String> r = signed(client, identity(rogue, udid), DevicePlist.authenticate(udid));
        assertStatus(r, 403);
        assertThat(r.body()).contains("does not chain to the device CA");
        assertThat(failures(client, "untrusted")).isEqualTo(before + 1);
        assertThat(rowsOf(db, udid)).isEmpty();
    }

    @Test
    void anExpiredCertificateIsRefused() {
        String udid = newUdid();
        TestPki.Device expired = ca.device(udid, TestPki.rsaKey(), Instant.now().minus(Duration.ofDays(400)),
                Instant.now().minus(Duration.ofDays(35)), KeyPurposeId.id_kp_clientAuth);
        double before = failures(client, "expired");
        HttpResponse<String> r = signed(client, expired, DevicePlist.authenticate(udid));
        assertStatus(r, 403);
        assertThat(r.body()).contains("expired");
        assertThat(failures(client, "expired")).isEqualTo(before + 1);
    }

    @Test
    void aMissingOrGarbageSignatureIsRefused() {
        String udid = newUdid();
        enroll(udid);
        byte[] body = tokenUpdate(udid).xml();
        double missing = failures(client, "missing");
        double bad = failures(client, "bad_signature");

        assertStatus(client.checkin(body), 403);
        assertStatus(client.checkin(body, "Mdm-Signature", "not base64 at all!"), 403);
        assertStatus(client.checkin(body, "Mdm-Signature", "R2FyYmFnZSBpbiwgZ2FyYmFnZSBvdXQ="), 403);

        assertThat(failures(client, "missing")).isEqualTo(missing + 1);
        assertThat(failures(client, "bad_signature")).isEqualTo(bad + 2);
    }

    @Test
    void aDevicesCertificateCannotSpeakForAnotherDeviceOnAnyMessage() {
        String a = newUdid();
        String b = newUdid();
        TestPki.Device identityOfA = enroll(a);
        enroll(b);
        Set<String> before = rowsOf(db, b);
        assertThat(before).hasSize(3);
        double refused = failures(client, "bound_elsewhere");

        Map<String, Plist> messagesForB = DevicePlist.everyType(b);
        for (Map.Entry<String, Plist> m : messagesForB.entrySet()) {
            HttpResponse<String> r = signed(client, identityOfA, m.getValue());
            assertThat(r.statusCode()).as("%s for B signed by A: %s", m.getKey(), r.body()).isEqualTo(403);
            assertThat(r.body()).contains("bound to another device");
        }
        // A user channel of B, too.
        assertStatus(signed(client, identityOfA, userChannel(b)), 403);

        assertThat(rowsOf(db, b)).isEqualTo(before);
        assertThat(failures(client, "bound_elsewhere")).isEqualTo(refused + messagesForB.size() + 1);
        // A itself is unharmed and still works.
        assertStatus(signed(client, identityOfA, tokenUpdate(a)), 200);
    }

    @Test
    void userChannelsUseTheirDevicesBinding() {
        String udid = newUdid();
        TestPki.Device identity = enroll(udid);
        Plist userChannel = userChannel(udid);
        assertStatus(signed(client, identity, userChannel), 200);
        assertStatus(signed(client, identity(ca, udid), userChannel), 403);
    }

    @Test
    void aRenewedIdentityReplacesTheOldOneAtOnce() {
        String udid = newUdid();
        TestPki.Device old = enroll(udid);
        // Checked in again, so the old certificate sits in the binding cache.
        assertStatus(signed(client, old, tokenUpdate(udid)), 200);

        TestPki.Device renewed = identity(ca, udid);
        assertStatus(signed(client, renewed, DevicePlist.authenticate(udid)), 200);

        double notBound = failures(client, "not_bound");
        HttpResponse<String> r = signed(client, old, tokenUpdate(udid));
        assertStatus(r, 403);
        assertThat(r.body()).contains("replaced");
        assertStatus(signed(client, renewed, tokenUpdate(udid)), 200);
        // A replaced certificate does not take its device back either.
        assertStatus(signed(client, old, DevicePlist.authenticate(udid)), 403);
        assertThat(failures(client, "not_bound")).isEqualTo(notBound + 2);
    }

    @Test
    void aCertificateNeverBoundIsRefusedWithoutRetroMode() {
        String udid = newUdid();
        double before = failures(client, "not_bound");
        HttpResponse<String> r = signed(client, identity(ca, udid), tokenUpdate(udid));
        assertStatus(r, 403);
        assertThat(r.body()).contains("Authenticate");
        assertThat(failures(client, "not_bound")).isEqualTo(before + 1);
        assertThat(rowsOf(db, udid)).isEmpty();
    }

    @Test
    void metricsShowTheModeAndEveryReasonFromTheStart() {
        String metrics = client.mgmt("/metrics").body();
        assertThat(metrics).containsPattern("(?m)^mdmgw_device_auth_info\\{mode=\"signature\"} 1(\\.0)?$");
        for (String reason : new String[] {"missing", "bad_signature", "untrusted", "expired", "not_bound", "bound_elsewhere"}) {
            assertThat(metrics).contains("mdmgw_identity_failures_total{reason=\"" + reason + "\"}");
        }
    }
}
