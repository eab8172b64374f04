package dev.mdmgw.persistence.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresTest {
    private Path dataDir;

    @BeforeEach
    void createDataDir() throws Exception {
        dataDir = TestDataDir.create();
    }

    @AfterEach
    void deleteDataDir() throws Exception {
        TestDataDir.delete(dataDir);
    }

    @Test
    void dataSurvivesRestart() throws Exception {
        int firstPort;
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir)) {
            assertThat(postgres.url()).matches("postgresql://mdmgw:[0-9a-f]{32}@127\\.0\\.0\\.1:\\d+/mdmgw");
            firstPort = URI.create(postgres.url()).getPort();
            try (Connection c = TestDataDir.connect(postgres.url()); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE device (udid text PRIMARY KEY)");
                s.execute("INSERT INTO device VALUES ('survivor')");
            }
        }
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir)) {
            assertThat(URI.create(postgres.url()).getPort()).as("port remembered while free").isEqualTo(firstPort);
            assertThat(udids(postgres)).isEqualTo("survivor");
        }
        assertThat(dataDir.resolve("postgres/postgres.log")).content().contains("database system is shut down");
    }

    @Test
    void listensOnLoopbackOnlyAndKeepsItsSocketInTheDataDir() throws Exception {
        try (EmbeddedPostgres postgres = TestDataDir.start(dataDir);
                Connection c = TestDataDir.connect(postgres.url());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT current_setting('listen_addresses'), current_setting('unix_socket_directories'),"
                                + " current_setting('server_encoding')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("127.0.0.1");
            assertThat(rs.getString(2)).isEqualTo(dataDir.resolve("postgres/run").toRealPath().toString());
            assertThat(rs.getString(3)).isEqualTo("UTF8");
        }
    }

    @Test
    void secondStartOnTheSameDataDirIsRefusedWhileRunning() throws Exception {
        try (EmbeddedPostgres postgres = TestDataDir.start(dataDir)) {
            assertThatThrownBy(() -> TestDataDir.start(dataDir))
                    .isInstanceOf(EmbeddedPostgresException.class)
                    .hasMessageContaining("in use by another running gateway");
        }
    }

    @Test
    void asRootTheClusterBelongsToAnUnprivilegedAccount() throws Exception {
        assumeTrue(PosixFiles.effectiveUid() == 0, "only meaningful when the tests run as root");
        try (EmbeddedPostgres postgres = TestDataDir.start(dataDir)) {
            Path home = dataDir.resolve("postgres");
            assertThat(PosixFiles.uid(home)).isNotZero();
            assertThat(PosixFiles.mode(home)).isEqualTo(0700);
            assertThat(PosixFiles.uid(home.resolve("data"))).isEqualTo(PosixFiles.uid(home));
        }
    }

    @Test
    void asRootAnUnreachableDataDirKeepsTheClusterInAReachableFolder() throws Exception {
        assumeTrue(PosixFiles.effectiveUid() == 0, "only meaningful when the tests run as root");
        Path privateParent = Files.createDirectory(dataDir.resolve("private"));
        PosixFiles.setMode(privateParent, "rwx------");
        Path wanted = privateParent.resolve("data");
        Path fallback = dataDir.resolve("fallback");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(wanted, fallback)) {
            try (Connection c = TestDataDir.connect(postgres.url()); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE device (udid text)");
                s.execute("INSERT INTO device VALUES ('kept')");
            }
        }
        Path link = wanted.resolve(ReachableLayout.LINK_NAME);
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link).startsWith(fallback)).isTrue();
        assertThat(PosixFiles.mode(privateParent)).as("the private folder is left as it was").isEqualTo(0700);
        try (EmbeddedPostgres again = EmbeddedPostgres.start(wanted, fallback)) {
            assertThat(udids(again)).isEqualTo("kept");
        }
    }

    @Test
    void refusesAClusterOfAnotherMajorVersionSayingWhatToDo() throws Exception {
        try (EmbeddedPostgres postgres = TestDataDir.start(dataDir)) {
            // Only started to create the cluster.
        }
        Files.writeString(dataDir.resolve("postgres/data/PG_VERSION"), "14\n");
        assertThatThrownBy(() -> TestDataDir.start(dataDir))
                .isInstanceOf(EmbeddedPostgresException.class)
                .hasMessageContaining("created by PostgreSQL 14")
                .hasMessageContaining("pg_dump");
        // The failed start released the data directory.
        Files.writeString(dataDir.resolve("postgres/data/PG_VERSION"), "17\n");
        TestDataDir.start(dataDir).close();
    }

    private static String udids(EmbeddedPostgres postgres) throws Exception {
        try (Connection c = TestDataDir.connect(postgres.url());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT string_agg(udid, ',') FROM device")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
