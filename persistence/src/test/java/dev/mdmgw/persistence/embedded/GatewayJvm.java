package dev.mdmgw.persistence.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A gateway in its own JVM: starts the embedded PostgreSQL, writes one row, and waits to be
 * signalled, so tests can kill it the ways a person or an orchestrator would.
 */
final class GatewayJvm {
    private static final String READY = "GATEWAY-JVM-READY";

    private final Process process;
    private final Path dataDir;

    private GatewayJvm(Process process, Path dataDir) {
        this.process = process;
        this.dataDir = dataDir;
    }

    static GatewayJvm start(Path dataDir) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, GatewayJvm.class.getName(), dataDir.toString(), TestDataDir.sharedBinaries().toString())
                .redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.equals(READY)) {
            // Its log lines.
        }
        if (line == null) {
            process.destroyForcibly();
            throw new AssertionError("The gateway JVM ended before it was ready");
        }
        // Keep draining so its shutdown logging never blocks on a full pipe.
        Thread drain = new Thread(() -> {
            try {
                out.transferTo(Writer.nullWriter());
            } catch (IOException ignored) {
                // The process is gone.
            }
        });
        drain.setDaemon(true);
        drain.start();
        return new GatewayJvm(process, dataDir);
    }

    long postmasterPid() throws Exception {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/data/postmaster.pid")).get(0).strip());
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() throws Exception {
        process.destroyForcibly();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    /** What Ctrl-C in a terminal sends. */
    void interrupt() throws Exception {
        assertThat(new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor()).isZero();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("gateway JVM exits on SIGINT").isTrue();
    }

    /** pg_ctl stop returns once postmaster.pid is gone, a moment before the process is. */
    static boolean exitsWithin(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.start(ClusterLayout.under(Path.of(args[0])).withBinariesIn(Path.of(args[1])));
        try (Connection c = TestDataDir.connect(postgres.url()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE device (udid text PRIMARY KEY)");
            s.execute("INSERT INTO device VALUES ('survivor')");
        }
        System.out.println(READY);
        System.out.flush();
        Thread.sleep(TimeUnit.MINUTES.toMillis(5));
    }
}
