package dev.mdmgw.persistence.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a gateway that did not shut down cleanly leaves behind must not stop the next start. */
class EmbeddedPostgresLeftoversTest {
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
        long orphan = startInAnotherJvmAndKillIt();
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("postmaster outlives kill -9").hasValue(true);

        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir)) {
            assertThat(exitsWithin(orphan, Duration.ofSeconds(5))).as("orphaned postmaster stopped").isTrue();
            assertThat(count(postgres)).isEqualTo(1);
        }
    }

    @Test
    void startsWhenPostmasterPidNamesALiveProcessOfTheSameAccount() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir)) {
            createRow(postgres);
        }
        // After a crash the recorded pid may be reused; PostgreSQL itself refuses to start when
        // it belongs to a live process of its own account.
        Process impostor = new ProcessBuilder(RunAs.forCluster(dataDir.resolve("postgres"))
                .wrap(List.of("sleep", "60"))).start();
        try {
            Path pidFile = dataDir.resolve("postgres/data/postmaster.pid");
            Files.writeString(pidFile, impostor.pid() + "\n" + dataDir.resolve("postgres/data") + "\n");
            try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir)) {
                assertThat(count(postgres)).isEqualTo(1);
            }
        } finally {
            impostor.destroyForcibly().waitFor();
        }
    }

    /** Returns the pid of the postmaster the killed JVM left running. */
    private long startInAnotherJvmAndKillIt() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process gateway = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, KilledGateway.class.getName(), dataDir.toString())
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals(KilledGateway.READY)) {
                // Skip its log lines.
            }
            assertThat(line).as("child JVM output ended before it was ready").isEqualTo(KilledGateway.READY);
        } finally {
            gateway.destroyForcibly(); // SIGKILL: no shutdown hook runs.
            assertThat(gateway.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/data/postmaster.pid")).get(0).strip());
    }

    /** pg_ctl stop returns once postmaster.pid is gone, a moment before the process is. */
    private static boolean exitsWithin(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
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

    /** A gateway that starts PostgreSQL, writes a row, says so, and waits to be killed. */
    static final class KilledGateway {
        static final String READY = "KILLED-GATEWAY-READY";

        public static void main(String[] args) throws Exception {
            EmbeddedPostgres postgres = EmbeddedPostgres.start(Path.of(args[0]));
            createRow(postgres);
            System.out.println(READY);
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }
}
