package dev.mdmgw.gateway.e2e;

import static dev.mdmgw.gateway.e2e.IdentityProbe.identity;
import static dev.mdmgw.gateway.e2e.IdentityProbe.rowsOf;
import static dev.mdmgw.gateway.e2e.IdentityProbe.signed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.gateway.Gateway;
import dev.mdmgw.gateway.identity.TestPki;
import dev.mdmgw.gateway.plist.Plist;
import dev.mdmgw.persistence.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bindings shared by several gateways on one database: a renewal made through one reaches the
 * others' caches through NOTIFY (their cache time limit is an hour here, so only NOTIFY can do
 * it), and retro mode binds an unbound device to a never-seen certificate, and nothing more.
 */
class IdentityAcrossGatewaysTest {
    private static final String KEY = "across-admin-key";

    @TempDir
    static Path dir;

    private static TestPki.Ca ca;
    private static TestDatabase db;
    private static final List<Gateway> gateways = new ArrayList<>();
    private static GatewayClient first;
    private static GatewayClient second;
    private static GatewayClient retro;

    @BeforeAll
    static void start() {
        ca = TestPki.rootCa("device CA");
        db = TestDatabase.create();
        String caFile = ca.writePem(dir, "ca.pem").toString();
        first = client(TestSettings.of(db.url(), KEY, "MDMGW_DEVICE_AUTH", "signature", "MDMGW_DEVICE_CA_FILE", caFile,
                "MDMGW_CERT_CACHE_SECONDS", "3600"));
        second = client(TestSettings.of(db.url(), KEY, "MDMGW_DEVICE_AUTH", "signature", "MDMGW_DEVICE_CA_FILE", caFile,
                "MDMGW_CERT_CACHE_SECONDS", "3600"));
        retro = client(TestSettings.of(db.url(), KEY, "MDMGW_DEVICE_AUTH", "signature", "MDMGW_DEVICE_CA_FILE", caFile,
                "MDMGW_CERT_RETRO", "true"));
    }

    private static GatewayClient client(dev.mdmgw.gateway.config.Settings settings) {
        Gateway g = Gateway.start(settings);
        gateways.add(g);
        return new GatewayClient(g.httpPort(), g.mgmtPort(), KEY);
    }

    @AfterAll
    static void stop() {
        gateways.forEach(Gateway::close);
        if (db != null) {
            db.close();
        }
    }

    private static String newUdid() {
        return UUID.randomUUID().toString().toUpperCase();
    }

    private static Plist tokenUpdate(String udid) {
        return DevicePlist.tokenUpdate("magic-" + UUID.randomUUID(), new byte[32]).with("UDID", udid);
    }

    private static void assertStatus(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as("answer: %s", r.body()).isEqualTo(status);
    }

    @Test
    void aRenewalThroughOneGatewayRetiresTheOldCertificateOnTheOthers() throws Exception {
        String udid = newUdid();
        TestPki.Device old = identity(ca, udid);
        assertStatus(signed(first, old, DevicePlist.authenticate(udid)), 200);
        assertStatus(signed(second, old, tokenUpdate(udid)), 200);
        assertStatus(signed(second, old, tokenUpdate(udid)), 200);

        TestPki.Device renewed = identity(ca, udid);
        assertStatus(signed(first, renewed, DevicePlist.authenticate(udid)), 200);

        // NOTIFY is asynchronous: give it a moment, but far less than the hour the cache would keep the entry.
        int status = 0;
        for (int attempt = 0; attempt < 50 && status != 403; attempt++) {
            status = signed(second, old, tokenUpdate(udid)).statusCode();
            if (status != 403) {
                Thread.sleep(100);
            }
        }
        assertThat(status).as("the old certificate on the second gateway").isEqualTo(403);
        assertStatus(signed(second, renewed, tokenUpdate(udid)), 200);
    }

    @Test
    void retroModeBindsAnUnboundDeviceToItsFirstNeverSeenCertificate() {
        String migrated = newUdid();
        TestPki.Device identity = identity(ca, migrated);
        // Without retro mode, a device that never authenticated here is refused...
        assertStatus(signed(first, identity, tokenUpdate(migrated)), 403);
        // ...with it, its first certificate binds, and from then on it is an ordinary binding.
        assertStatus(signed(retro, identity, tokenUpdate(migrated)), 200);
        assertStatus(signed(first, identity, tokenUpdate(migrated)), 200);

        HttpResponse<String> second = signed(retro, identity(ca, migrated), tokenUpdate(migrated));
        assertStatus(second, 403);
        assertThat(second.body()).contains("bound to another certificate");
    }

    @Test
    void retroModeNeverLendsACertificateAlreadyBoundElsewhere() {
        String owner = newUdid();
        TestPki.Device identity = identity(ca, owner);
        assertStatus(signed(first, identity, DevicePlist.authenticate(owner)), 200);
        String unbound = newUdid();

        HttpResponse<String> r = signed(retro, identity, tokenUpdate(unbound));

        assertStatus(r, 403);
        assertThat(r.body()).contains("bound to another device");
        assertThat(rowsOf(db, unbound)).isEmpty();
    }
}
