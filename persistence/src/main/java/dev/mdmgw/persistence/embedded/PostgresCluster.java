package dev.mdmgw.persistence.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The cluster on disk: created once with initdb, then started and stopped with pg_ctl. */
final class PostgresCluster {
    static final String SUPERUSER = "mdmgw";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresCluster.class);
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) ((\\d+)\\S*)");
    /** Crash recovery after a killed run replays WAL before accepting connections. */
    private static final int START_WAIT_SECONDS = 120;
    private static final int STOP_WAIT_SECONDS = 60;
    private static final Duration MARGIN = Duration.ofSeconds(10);
    /** sizeof(sockaddr_un.sun_path) on Linux, less the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;

    private final ClusterLayout layout;
    private final PostgresPrograms programs;
    private final RunAs runAs;

    PostgresCluster(ClusterLayout layout, PostgresPrograms programs, RunAs runAs) {
        this.layout = layout;
        this.programs = programs;
        this.runAs = runAs;
    }

    /** The bundled server's version, e.g. "17.11". */
    String binariesVersion() {
        Matcher m = VERSION.matcher(programs.run(MARGIN, "postgres", "--version"));
        if (!m.find()) {
            throw new EmbeddedPostgresException("Cannot tell the version of the bundled PostgreSQL");
        }
        return m.group(1);
    }

    /**
     * Runs initdb unless an earlier one finished, and returns the superuser's password. Our
     * marker, not PG_VERSION, says "finished": initdb writes PG_VERSION early, so a run killed
     * half-way would otherwise leave a cluster that looks usable and isn't.
     */
    String initializeIfNeeded(String binariesVersion) {
        if (Files.exists(layout.initializedMarker())) {
            requireSameMajor(binariesVersion);
            return ClusterFiles.read(layout.passwordFile()).orElseThrow(() -> new EmbeddedPostgresException(
                    "The superuser password file " + layout.passwordFile() + " is missing, so the cluster in "
                            + layout.pgdata() + " cannot be used. Restore the file, or move " + layout.home()
                            + " aside to start with an empty database."));
        }
        setAsideUnfinished();
        String password = HexFormat.of().formatHex(randomBytes());
        ClusterFiles.write(layout.passwordFile(), password, runAs);
        LOG.info("Creating a new PostgreSQL cluster in {}", layout.pgdata());
        programs.run(Duration.ofMinutes(5), "initdb",
                "-D", layout.pgdata().toString(),
                "-U", SUPERUSER,
                "--pwfile=" + layout.passwordFile(),
                "--auth=scram-sha-256",
                "--encoding=UTF8",
                // Cheap on this scale, and a corrupted page then fails loudly instead of silently.
                "--data-checksums",
                // The C locale needs no locale installed: containers often have none.
                "--no-locale",
                "--no-instructions");
        ClusterFiles.write(layout.initializedMarker(), binariesVersion, runAs);
        return password;
    }

    /**
     * Deals with the postmaster.pid a previous run may have left. When no process works in
     * the cluster any more the file is stale and goes (PostgreSQL would refuse to start if its
     * pid now belongs to another process of the same user); a postmaster left running by a
     * killed gateway is stopped, which is safe because we hold the data directory lock.
     */
    void clearLeftovers() {
        if (!Files.exists(layout.postmasterPid())) {
            return;
        }
        Optional<Set<Long>> processes = ClusterProcesses.workingIn(layout.pgdata());
        if (processes.isEmpty()) {
            return; // No procfs: PostgreSQL's own check of the file is the best there is.
        }
        Optional<Long> pid = recordedPid();
        if (pid.isPresent() && processes.get().contains(pid.get())) {
            LOG.warn("A PostgreSQL left running by an earlier run (pid {}) still serves {}; stopping it",
                    pid.get(), layout.pgdata());
            stop();
        } else if (processes.get().isEmpty()) {
            LOG.info("Removing stale {} (pid {} no longer runs this cluster)",
                    layout.postmasterPid(), pid.map(String::valueOf).orElse("unknown"));
            try {
                Files.deleteIfExists(layout.postmasterPid());
                clearSocketDir();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot remove stale " + layout.postmasterPid(), e);
            }
        }
        // Otherwise backends outlived their postmaster: PostgreSQL refuses to start, and says so.
    }

    void start(int port) {
        try {
            if (!Files.isDirectory(layout.socketDir())) {
                Files.createDirectory(layout.socketDir());
                runAs.own(layout.socketDir());
            }
            PosixFiles.setMode(layout.socketDir(), "rwx------");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + layout.socketDir(), e);
        }
        String options = "-c listen_addresses=" + ListenPort.HOST + " -p " + port + " -k " + shellQuote(socketDir(port));
        boolean leftoverPidFile = Files.exists(layout.postmasterPid());
        try {
            programs.run(Duration.ofSeconds(START_WAIT_SECONDS).plus(MARGIN), "pg_ctl", "start",
                    "-D", layout.pgdata().toString(),
                    "-l", layout.log().toString(),
                    "-w", "-t", String.valueOf(START_WAIT_SECONDS),
                    "-o", options);
        } catch (EmbeddedPostgresException e) {
            // pg_ctl -w may give up while the server still starts: don't leave it running once we
            // release the lock. A pid file that was there before is not ours to act on.
            if (!leftoverPidFile) {
                try {
                    stop();
                } catch (RuntimeException stopFailure) {
                    e.addSuppressed(stopFailure);
                }
            }
            throw e;
        }
    }

    /** Fast shutdown: rolls back open transactions instead of waiting for clients to leave. */
    void stop() {
        if (!Files.exists(layout.postmasterPid())) {
            return;
        }
        try {
            programs.run(Duration.ofSeconds(STOP_WAIT_SECONDS).plus(MARGIN), "pg_ctl", "stop",
                    "-D", layout.pgdata().toString(), "-m", "fast", "-w", "-t", String.valueOf(STOP_WAIT_SECONDS));
        } catch (EmbeddedPostgresException e) {
            LOG.warn("Fast shutdown of PostgreSQL failed, stopping it immediately (crash recovery on next start)", e);
            programs.run(Duration.ofSeconds(STOP_WAIT_SECONDS).plus(MARGIN), "pg_ctl", "stop",
                    "-D", layout.pgdata().toString(), "-m", "immediate", "-w", "-t", String.valueOf(STOP_WAIT_SECONDS));
        }
    }

    /** Moved, not deleted: whatever is there was not made by a finished initdb of ours, but may matter. */
    private void setAsideUnfinished() {
        if (!Files.exists(layout.pgdata())) {
            return;
        }
        Path aside = layout.home().resolve("data.unfinished-" + System.currentTimeMillis());
        LOG.warn("{} is not a cluster that initdb finished; moving it to {} and creating a new one",
                layout.pgdata(), aside);
        try {
            Files.move(layout.pgdata(), aside);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot move the unfinished cluster " + layout.pgdata() + " aside", e);
        }
    }

    private void requireSameMajor(String binariesVersion) {
        String clusterMajor = ClusterFiles.read(layout.pgdata().resolve("PG_VERSION")).orElseThrow(() ->
                new EmbeddedPostgresException("The database in " + layout.pgdata() + " is incomplete (it has no "
                        + "PG_VERSION). Restore it from a backup, or move " + layout.home()
                        + " aside to start with an empty database."));
        String binariesMajor = binariesVersion.split("\\.")[0];
        if (!clusterMajor.equals(binariesMajor)) {
            throw new EmbeddedPostgresException("The database in " + layout.pgdata() + " was created by PostgreSQL "
                    + clusterMajor + ", but this gateway bundles PostgreSQL " + binariesVersion + ", which cannot "
                    + "open it. Start the previous gateway version and export the data (pg_dump), or move "
                    + layout.home() + " aside to start with an empty database.");
        }
    }

    /** The unix socket folder, or none when its path would exceed what a socket address holds. */
    private String socketDir(int port) {
        String dir = layout.socketDir().toString();
        int length = (dir + "/.s.PGSQL." + port).getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_SOCKET_PATH) {
            LOG.info("No unix socket for PostgreSQL: the path under {} is too long; TCP on {} only", dir, ListenPort.HOST);
            return "";
        }
        return dir;
    }

    private Optional<Long> recordedPid() {
        try {
            String first = Files.readAllLines(layout.postmasterPid()).stream().findFirst().orElse("").strip();
            return Optional.of(Long.parseLong(first));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void clearSocketDir() throws IOException {
        if (!Files.isDirectory(layout.socketDir())) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(layout.socketDir())) {
            for (Path entry : entries) {
                Files.delete(entry);
            }
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /** pg_ctl hands -o to /bin/sh, so a folder name with spaces or quotes must be quoted. */
    private static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
