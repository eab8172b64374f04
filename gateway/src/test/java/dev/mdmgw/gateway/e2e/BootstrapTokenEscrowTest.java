package dev.mdmgw.gateway.e2e;

import static dev.mdmgw.gateway.e2e.IdentityProbe.identity;
import static dev.mdmgw.gateway.e2e.IdentityProbe.signed;
import static org.assertj.core.api.Assertions.assertThat;

import com.dd.plist.NSData;
import com.dd.plist.NSDictionary;
import com.dd.plist.PropertyListParser;
import dev.mdmgw.gateway.Gateway;
import dev.mdmgw.gateway.identity.TestPki;
import dev.mdmgw.gateway.plist.Plist;
import dev.mdmgw.persistence.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Set/GetBootstrapToken over real sockets with signed check-ins: the token is escrowed sealed
 * (never in clear in the database), comes back only to its own device, identified by the body or
 * by its certificate alone, and survives key rotation in MDMGW_BOOTSTRAP_KEYS.
 */
class BootstrapTokenEscrowTest {
    private static final String K1 = "k1:" + Base64.getEncoder().encodeToString(bytes(32, 1));
    private static final String ADMIN_KEY = "escrow-admin";
    private static final String K2 = "k2:" + Base64.getEncoder().encodeToString(bytes(32, 2));

    @TempDir
    static Path dir;

    private static TestPki.Ca ca;
    private static TestDatabase db;
    private static final List<Gateway> gateways = new ArrayList<>();
    /** Devices whose escrow a test corrupted on purpose: they never open, so rotation leaves them. */
    private static final List<String> tampered = new ArrayList<>();
    private static GatewayClient client;
    private static String caFile;

    @BeforeAll
    static void start() {
        ca = TestPki.rootCa("device CA");
        caFile = ca.writePem(dir, "ca.pem").toString();
        db = TestDatabase.create();
        client = gateway("MDMGW_BOOTSTRAP_KEYS", K1);
    }

    private static GatewayClient gateway(String... more) {
        String[] env = new String[more.length + 4];
        env[0] = "MDMGW_DEVICE_AUTH";
        env[1] = "signature";
        env[2] = "MDMGW_DEVICE_CA_FILE";
        env[3] = caFile;
        System.arraycopy(more, 0, env, 4, more.length);
        Gateway g = Gateway.start(TestSettings.of(db.url(), ADMIN_KEY, env));
        gateways.add(g);
        return new GatewayClient(g.httpPort(), g.mgmtPort(), ADMIN_KEY);
    }

    @AfterAll
    static void stop() {
        gateways.forEach(Gateway::close);
        if (db != null) {
            db.close();
        }
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 37 + i);
        }
        return b;
    }

    private record Mac(String udid, TestPki.Device identity) {
    }

    private static Mac enroll(GatewayClient c) {
        String udid = UUID.randomUUID().toString().toUpperCase();
        TestPki.Device identity = identity(ca, udid);
        assertThat(signed(c, identity, DevicePlist.authenticate(udid)).statusCode()).isEqualTo(200);
        return new Mac(udid, identity);
    }

    private static HttpResponse<String> set(GatewayClient c, Mac mac, byte[] token) {
        Plist body = DevicePlist.of("SetBootstrapToken").with("UDID", mac.udid());
        if (token != null) {
            body = body.with("BootstrapToken", token);
        }
        return signed(c, mac.identity(), body);
    }

    /** The escrowed token as GetBootstrapToken answers it; null when the answer omits it. */
    private static byte[] get(GatewayClient c, Mac mac, boolean withUdid) throws Exception {
        Plist body = DevicePlist.of("GetBootstrapToken");
        if (withUdid) {
            body = body.with("UDID", mac.udid());
        }
        HttpResponse<String> r = signed(c, mac.identity(), body);
        assertThat(r.statusCode()).as("answer: %s", r.body()).isEqualTo(200);
        NSDictionary dict = (NSDictionary) PropertyListParser.parse(r.body().getBytes(StandardCharsets.UTF_8));
        NSData token = (NSData) dict.get("BootstrapToken");
        return token == null ? null : token.bytes();
    }

    private static byte[] storedColumn(String udid) throws Exception {
        try (Connection c = db.jdbc();
                PreparedStatement s = c.prepareStatement("SELECT bootstrap_token FROM devices WHERE id = ?")) {
            s.setString(1, udid);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    private static void execute(String sql, String... args) throws Exception {
        try (Connection c = db.jdbc(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }

    @Test
    void anEscrowedTokenComesBackToItsDeviceAndIsNeverStoredInClear() throws Exception {
        Mac mac = enroll(client);
        byte[] token = bytes(64, 7);
        assertThat(set(client, mac, token).statusCode()).isEqualTo(200);

        assertThat(get(client, mac, true)).isEqualTo(token);
        // The schema lists no UDID for it: the certificate's binding names the device.
        assertThat(get(client, mac, false)).isEqualTo(token);

        byte[] stored = storedColumn(mac.udid());
        assertThat(stored).isNotNull().hasSize(12 + token.length + 16);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1))
                .doesNotContain(new String(token, StandardCharsets.ISO_8859_1).substring(0, 16));
        assertThat(db.column("SELECT bootstrap_key_id FROM devices WHERE id = '" + mac.udid() + "'")).containsExactly("k1");
    }

    @Test
    void noTableOfTheDatabaseHoldsTheTokenInClear() throws Exception {
        Mac mac = enroll(client);
        byte[] token = bytes(64, 11);
        assertThat(set(client, mac, token).statusCode()).isEqualTo(200);

        String hex = java.util.HexFormat.of().formatHex(token);
        String base64 = Base64.getEncoder().encodeToString(token);
        String latin1 = new String(token, StandardCharsets.ISO_8859_1);
        int rows = 0;
        try (Connection c = db.jdbc()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).contains("devices", "enrollments", "device_certificates");
            for (String table : tables) {
                try (PreparedStatement s = c.prepareStatement("SELECT * FROM \"" + table + "\"");
                        ResultSet rs = s.executeQuery()) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        rows++;
                        for (int i = 1; i <= columns; i++) {
                            String text = rs.getString(i);
                            byte[] raw = rs.getBytes(i);
                            String where = table + "." + rs.getMetaData().getColumnName(i);
                            assertThat(text == null ? "" : text).as(where).doesNotContain(hex).doesNotContain(base64);
                            assertThat(raw == null ? "" : new String(raw, StandardCharsets.ISO_8859_1)).as(where)
                                    .doesNotContain(latin1);
                        }
                    }
                }
            }
        }
        assertThat(rows).isGreaterThan(0);
        assertThat(get(client, mac, true)).isEqualTo(token);
    }

    @Test
    void anEmptyTokenRemovesTheEscrowAndAReAuthenticateClearsIt() throws Exception {
        Mac mac = enroll(client);
        set(client, mac, bytes(48, 3));
        assertThat(set(client, mac, new byte[0]).statusCode()).isEqualTo(200);
        assertThat(get(client, mac, true)).isNull();

        set(client, mac, bytes(48, 4));
        assertThat(signed(client, mac.identity(), DevicePlist.authenticate(mac.udid())).statusCode()).isEqualTo(200);
        assertThat(get(client, mac, true)).isNull();
    }

    @Test
    void aTokenSealedForAnotherDeviceDoesNotOpen() throws Exception {
        Mac a = enroll(client);
        Mac b = enroll(client);
        set(client, a, bytes(40, 5));
        set(client, b, bytes(40, 6));
        // Someone with database access copies A's sealed token onto B's row.
        execute("UPDATE devices SET bootstrap_token = (SELECT bootstrap_token FROM devices WHERE id = ?) WHERE id = ?",
                a.udid(), b.udid());
        tampered.add(b.udid());

        HttpResponse<String> r = signed(client, b.identity(), DevicePlist.of("GetBootstrapToken").with("UDID", b.udid()));
        assertThat(r.statusCode()).isEqualTo(503);
    }

    @Test
    void rotatedKeysStillOpenWhatTheOldKeySealed() throws Exception {
        Mac mac = enroll(client);
        byte[] token = bytes(32, 9);
        set(client, mac, token);

        GatewayClient rotated = gateway("MDMGW_BOOTSTRAP_KEYS", K2 + "," + K1);
        assertThat(get(rotated, mac, true)).isEqualTo(token);
        Mac later = enroll(rotated);
        set(rotated, later, token);
        assertThat(db.column("SELECT bootstrap_key_id FROM devices WHERE id = '" + later.udid() + "'")).containsExactly("k2");

        // A gateway that dropped k1 too early cannot open it: a 503, never "no token".
        GatewayClient dropped = gateway("MDMGW_BOOTSTRAP_KEYS", K2);
        HttpResponse<String> r = signed(dropped, mac.identity(), DevicePlist.of("GetBootstrapToken").with("UDID", mac.udid()));
        assertThat(r.statusCode()).isEqualTo(503);
    }

    @Test
    void withoutKeysEscrowIsRefusedAndNothingIsStored() throws Exception {
        GatewayClient keyless = gateway("MDMGW_BOOTSTRAP_KEYS", "");
        Mac mac = enroll(keyless);
        HttpResponse<String> r = set(keyless, mac, bytes(32, 1));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("MDMGW_BOOTSTRAP_KEYS");
        assertThat(get(keyless, mac, true)).isNull();
    }
}
