package dev.mdmgw.gateway.e2e;

import dev.mdmgw.gateway.identity.TestPki;
import dev.mdmgw.gateway.plist.Plist;
import dev.mdmgw.persistence.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/** Signed check-ins and what the gateway and its database say about them, for the identity tests. */
final class IdentityProbe {
    /** One RSA key for every device certificate of a test class: generating keys is slow, certificates are not. */
    private static final KeyPair SHARED_KEY = TestPki.rsaKey();

    private IdentityProbe() {
    }

    /** A device identity issued by {@code ca}, on the shared key: each call is a distinct certificate. */
    static TestPki.Device identity(TestPki.Ca ca, String udid) {
        return ca.device(udid, SHARED_KEY, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)),
                KeyPurposeId.id_kp_clientAuth);
    }

    static HttpResponse<String> signed(GatewayClient client, TestPki.Device identity, Plist body) {
        byte[] xml = body.xml();
        return client.checkin(xml, "Mdm-Signature", identity.sign(xml));
    }

    /** The failure counter of {@code reason}, as /metrics shows it now. */
    static double failures(GatewayClient client, String reason) {
        String metrics = client.mgmt("/metrics").body();
        Matcher m = Pattern.compile("^mdmgw_identity_failures_total\\{reason=\"" + reason + "\"[^}]*} (\\S+)$",
                Pattern.MULTILINE).matcher(metrics);
        if (!m.find()) {
            throw new AssertionError("no mdmgw_identity_failures_total for " + reason);
        }
        return Double.parseDouble(m.group(1));
    }

    /** Everything stored about a device, as text, to compare byte for byte. */
    static Set<String> rowsOf(TestDatabase db, String udid) {
        String id = udid.replace("'", "''");
        return db.column("SELECT 'enrollment ' || row_to_json(e)::text FROM enrollments e WHERE e.device_id = '" + id + "'"
                + " UNION ALL SELECT 'device ' || row_to_json(d)::text FROM devices d WHERE d.id = '" + id + "'"
                + " UNION ALL SELECT 'certificate ' || row_to_json(c)::text FROM device_certificates c WHERE c.device_id = '"
                + id + "'");
    }
}
