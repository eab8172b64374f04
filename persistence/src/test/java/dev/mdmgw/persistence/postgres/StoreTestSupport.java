package dev.mdmgw.persistence.postgres;

import dev.mdmgw.persistence.CheckinStore;
import dev.mdmgw.persistence.Database;
import dev.mdmgw.persistence.DatabaseSettings;
import dev.mdmgw.persistence.EnrollmentType;
import dev.mdmgw.persistence.testing.TestDatabase;
import dev.mdmgw.persistence.write.AuthenticateWrite;
import dev.mdmgw.persistence.write.CheckOutWrite;
import dev.mdmgw.persistence.write.TokenUpdateWrite;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * One migrated throw-away database per test class, emptied before each test. BlockHound, installed
 * for the whole test JVM by {@code NoBlockingSession}, fails a test on any blocking call on a Reactor
 * or Netty thread (where writes are submitted, batches cut and commits acknowledged).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreTestSupport {
    static final String TOPIC = "com.apple.mgmt.External.test";
    static final Duration WAIT = Duration.ofSeconds(30);

    TestDatabase db;
    SimpleMeterRegistry meters;
    private final List<Database> opened = new ArrayList<>();

    @BeforeAll
    void createDatabase() {
        db = TestDatabase.create(getClass());
        Database.migrate(DatabaseSettings.defaults(db.url()));
    }

    @AfterAll
    void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        meters = new SimpleMeterRegistry();
        update("TRUNCATE enrollments, devices, device_certificates");
        update("DELETE FROM organizations WHERE id <> 'default'");
    }

    @AfterEach
    void shutDownStores() {
        for (Database d : opened) {
            d.shutdown().block(WAIT);
        }
        opened.clear();
    }

    DatabaseSettings settings() {
        return DatabaseSettings.defaults(db.url());
    }

    Database open(UnaryOperator<DatabaseSettings> tweak) {
        return track(Database.connect(tweak.apply(settings()), meters));
    }

    CheckinStore store() {
        return open(s -> s).store();
    }

    Database track(Database d) {
        opened.add(d);
        return d;
    }

    // --- writes -------------------------------------------------------------------------------

    static TokenUpdateWrite tokenUpdate(long version, String enrollmentId) {
        return tokenUpdate(version, enrollmentId, null);
    }

    /** Every value is derived from the version, so a row shows which write won. */
    static TokenUpdateWrite tokenUpdate(long version, String enrollmentId, byte[] unlockToken) {
        int colon = enrollmentId.indexOf(':');
        String deviceId = colon < 0 ? enrollmentId : enrollmentId.substring(0, colon);
        String userId = colon < 0 ? null : enrollmentId.substring(colon + 1);
        EnrollmentType type = colon < 0 ? EnrollmentType.DEVICE : EnrollmentType.USER;
        return new TokenUpdateWrite(version, enrollmentId, deviceId, userId, type, "default", TOPIC,
                "magic-" + version, token(version), unlockToken, userId == null ? null : "short-" + version,
                userId == null ? null : "Long Name " + version, version % 2 == 0);
    }

    static byte[] token(long version) {
        byte[] t = new byte[1 + (int) (version % 40)];
        for (int i = 0; i < t.length; i++) {
            t[i] = (byte) (version >>> (i % 8 * 8));
        }
        return t;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static AuthenticateWrite authenticate(long version, String deviceId) {
        return new AuthenticateWrite(version, deviceId, EnrollmentType.DEVICE, "default", TOPIC, "SERIAL-" + deviceId,
                "MacBookPro18,3", "MacBook Pro", "MacBook Pro", "Office Mac", "14.4", "23E214", null, null,
                bytes("cert-" + version));
    }

    static CheckOutWrite checkOut(long version, String enrollmentId, boolean deviceChannel) {
        int colon = enrollmentId.indexOf(':');
        return new CheckOutWrite(version, enrollmentId, colon < 0 ? enrollmentId : enrollmentId.substring(0, colon),
                colon < 0 ? null : enrollmentId.substring(colon + 1), deviceChannel ? EnrollmentType.DEVICE : EnrollmentType.USER,
                "default", TOPIC);
    }

    // --- SQL over JDBC, to arrange and to check -----------------------------------------------

    void update(String sql, Object... args) throws SQLException {
        try (Connection c = db.jdbc(); PreparedStatement s = prepare(c, sql, args)) {
            s.executeUpdate();
        }
    }

    Map<String, Object> row(String sql, Object... args) throws SQLException {
        List<Map<String, Object>> rows = rows(sql, args);
        return rows.isEmpty() ? null : rows.get(0);
    }

    Map<String, Object> enrollment(String id) throws SQLException {
        return row("SELECT * FROM enrollments WHERE id = ?", id);
    }

    long count(String sql, Object... args) throws SQLException {
        return ((Number) row(sql, args).values().iterator().next()).longValue();
    }

    List<Map<String, Object>> rows(String sql, Object... args) throws SQLException {
        try (Connection c = db.jdbc(); PreparedStatement s = prepare(c, sql, args); ResultSet rs = s.executeQuery()) {
            List<Map<String, Object>> out = new ArrayList<>();
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getObject(i));
                }
                out.add(row);
            }
            return out;
        }
    }

    /** The plan of {@code sql} with its $n replaced by {@code literals}, after {@code settings} (SET ...). */
    String plan(List<String> settings, String sql, String... literals) throws SQLException {
        for (int i = literals.length; i >= 1; i--) {
            sql = sql.replace("$" + i, literals[i - 1]);
        }
        try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
            for (String setting : settings) {
                s.execute(setting);
            }
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }

    String plan(String sql, String... literals) throws SQLException {
        return plan(List.of(), sql, literals);
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
        return s;
    }

    /**
     * Holds a lock that stops every write to enrollments (reads still pass) until closed: with a
     * pool of one connection, the first batch then waits in the database and every later write
     * waits in the queue, which makes batch composition deterministic.
     */
    HeldLock lockEnrollments() throws SQLException {
        return new HeldLock(db.jdbc());
    }

    /** Waits until one of the store's connections is blocked on a lock, such as {@link #lockEnrollments()}'s. */
    void awaitBackendWaitingOnLock() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND application_name = ? AND wait_event_type = 'Lock'", Database.APPLICATION_NAME) == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the write never reached the database");
            }
            Thread.sleep(10);
        }
    }

    static final class HeldLock implements AutoCloseable {
        private final Connection connection;

        HeldLock(Connection connection) throws SQLException {
            this.connection = connection;
            connection.setAutoCommit(false);
            try (Statement s = connection.createStatement()) {
                s.execute("LOCK TABLE enrollments IN EXCLUSIVE MODE");
            }
        }

        @Override
        public void close() throws SQLException {
            if (!connection.isClosed()) {
                connection.rollback();
                connection.close();
            }
        }
    }
}
