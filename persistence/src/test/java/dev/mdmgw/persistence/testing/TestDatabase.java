package dev.mdmgw.persistence.testing;

import dev.mdmgw.persistence.PostgresUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

/**
 * A throw-away database in the PostgreSQL named by {@code MDMGW_TEST_DB_URL} (default
 * {@code postgresql://postgres@127.0.0.1:5432/postgres}): created empty, dropped on close even
 * when sessions are still attached. One per test class keeps classes independent and parallel-safe:
 *
 * <pre>{@code
 * static TestDatabase db;
 * @BeforeAll static void create() { db = TestDatabase.create(MyTest.class); }
 * @AfterAll static void drop() { db.close(); }
 * }</pre>
 */
public final class TestDatabase implements AutoCloseable {

    public static final String URL_VARIABLE = "MDMGW_TEST_DB_URL";
    public static final String DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

    private final PostgresUrl server;
    private final PostgresUrl database;

    private TestDatabase(PostgresUrl server, String name) {
        this.server = server;
        this.database = server.withDatabase(name);
    }

    public static TestDatabase create(Class<?> owner) {
        String configured = System.getenv(URL_VARIABLE);
        PostgresUrl server = PostgresUrl.parse(configured == null || configured.isBlank() ? DEFAULT_URL : configured);
        TestDatabase db = new TestDatabase(server, uniqueName(owner));
        db.execute("CREATE DATABASE " + quote(db.name()));
        return db;
    }

    public static TestDatabase create() {
        return create(TestDatabase.class);
    }

    /** {@code postgresql://...} URL of the new database, for {@code DatabaseSettings.defaults(url)}. */
    public String url() {
        return database.format();
    }

    public String name() {
        return database.database();
    }

    /** A JDBC connection to the new database, for arranging and checking rows. Close it. */
    public Connection jdbc() throws SQLException {
        return open(database);
    }

    /** The first column of every row {@code sql} returns, as text. */
    public Set<String> column(String sql) {
        Set<String> values = new HashSet<>();
        try (Connection c = jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
        return values;
    }

    /** Simulates an outage: no new sessions, and every open one (the pool's) is terminated. */
    public void cutOff() {
        execute("ALTER DATABASE " + quote(name()) + " ALLOW_CONNECTIONS false");
        execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                + name().replace("'", "''") + "' AND pid <> pg_backend_pid()");
    }

    /** Ends the outage of {@link #cutOff()}. */
    public void restore() {
        execute("ALTER DATABASE " + quote(name()) + " ALLOW_CONNECTIONS true");
    }

    @Override
    public void close() {
        execute("DROP DATABASE IF EXISTS " + quote(name()) + " WITH (FORCE)");
    }

    private void execute(String sql) {
        try (Connection c = open(server); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + server + ": " + e.getMessage(), e);
        }
    }

    private static Connection open(PostgresUrl url) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", url.user());
        if (url.password() != null) {
            props.setProperty("password", url.password());
        }
        props.setProperty("sslmode", url.sslMode());
        props.setProperty("ApplicationName", "mdm-gateway-tests");
        String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + url.port() + "/" + url.database(), props);
    }

    private static String uniqueName(Class<?> owner) {
        String prefix = owner.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (prefix.length() > 30) {
            prefix = prefix.substring(0, 30);
        }
        return "mdmgw_t_" + prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
