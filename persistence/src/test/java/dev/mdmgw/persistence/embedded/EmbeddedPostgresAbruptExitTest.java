package dev.mdmgw.persistence.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway JVM that ends abruptly: Ctrl-C must still stop PostgreSQL, and what a kill -9 or a
 * crash leaves behind must not stop the next start.
 */
class EmbeddedPostgresAbruptExitTest {
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
    void startsAfterTheGatewayWasKilledLeavingItsPostmasterRunning() throws Exception {
        GatewayJvm gateway = GatewayJvm.start(dataDir);
        long orphan = gateway.postmasterPid();
        gateway.kill();
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("postmaster outlives kill -9").hasValue(true);

        try (EmbeddedPostgres postgres = TestDataDir.start(dataDir)) {
            assertThat(GatewayJvm.exitsWithin(orphan, Duration.ofSeconds(5))).as("orphaned postmaster stopped").isTrue();
            assertThat(count(postgres)).isEqualTo(1);
        }
    }

    @Test
    void ctrlCStopsPostgresThroughTheShutdownHook() throws Exception {
        GatewayJvm gateway = GatewayJvm.start(dataDir);
        long postmaster = gateway.postmasterPid();
        gateway.interrupt();
        assertThat(GatewayJvm.exitsWithin(postmaster, Duration.ofSeconds(5))).as("postmaster stopped").isTrue();
        assertThat(dataDir.resolve("postgres/data/postmaster.pid")).doesNotExist();
        assertThat(dataDir.resolve("postgres/postgres.log")).content().contains("fast shutdown request");
    }

    @Test
    void startsWhenPostmasterPidNamesALiveProcessOfTheSameAccount() throws Exception {
        try (EmbeddedPostgres postgres = TestDataDir.start(dataDir)) {
            createRow(postgres);
        }
        // After a crash the recorded pid may be reused; PostgreSQL itself refuses to start when
        // it belongs to a live process of its own account.
        Process impostor = new ProcessBuilder(RunAs.forCluster(dataDir.resolve("postgres"))
                .wrap(List.of("sleep", "60"))).start();
        try {
            Path pidFile = dataDir.resolve("postgres/data/postmaster.pid");
            Files.writeString(pidFile, impostor.pid() + "\n" + dataDir.resolve("postgres/data") + "\n");
            try (EmbeddedPostgres postgres = TestDataDir.start(dataDir)) {
                assertThat(count(postgres)).isEqualTo(1);
            }
        } finally {
            impostor.destroyForcibly().waitFor();
        }
    }

    @Test
    void setsAsideWhatAnInterruptedInitdbLeftAndStartsAfresh() throws Exception {
        Path unfinished = Files.createDirectories(dataDir.resolve("postgres/data/base"));
        Files.writeString(unfinished.getParent().resolve("PG_VERSION"), "17\n");

        try (EmbeddedPostgres postgres = TestDataDir.start(dataDir)) {
            createRow(postgres);
        }
        try (var aside = Files.list(dataDir.resolve("postgres"))) {
            assertThat(aside.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("data.unfinished-"));
        }
    }

    private static void createRow(EmbeddedPostgres postgres) throws Exception {
        try (Connection c = TestDataDir.connect(postgres.url()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE device (udid text PRIMARY KEY)");
            s.execute("INSERT INTO device VALUES ('survivor')");
        }
    }

    private static int count(EmbeddedPostgres postgres) throws Exception {
        try (Connection c = TestDataDir.connect(postgres.url());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM device")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
