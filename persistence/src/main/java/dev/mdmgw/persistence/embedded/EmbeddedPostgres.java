package dev.mdmgw.persistence.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server the gateway runs itself when no database is configured, so that
 * {@code java -jar} alone gives a working gateway whose data survives restarts.
 *
 * <p>Files live under the data directory (see {@link ClusterLayout}); the server listens on
 * 127.0.0.1 only and the gateway logs in with a password generated at the first start. When
 * the gateway runs as root, PostgreSQL (which refuses root) runs as an unprivileged account.
 * {@link #close()} stops it, and so does a shutdown hook if the JVM exits first.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);

    private final PostgresCluster cluster;
    private final DataDirLock lock;
    private final int port;
    private final String password;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgres(PostgresCluster cluster, DataDirLock lock, int port, String password) {
        this.cluster = cluster;
        this.lock = lock;
        this.port = port;
        this.password = password;
        this.shutdownHook = new Thread(this::close, "embedded-postgres-shutdown");
    }

    /**
     * Starts PostgreSQL on the cluster under {@code dataDir}, creating it on first use, and
     * returns once it accepts connections.
     *
     * @throws EmbeddedPostgresException with a message saying what to do, when it cannot start
     */
    public static EmbeddedPostgres start(Path dataDir) {
        return start(dataDir, ReachableLayout.DEFAULT_FALLBACK_ROOT);
    }

    /** As {@link #start(Path)}, with the folder used when root's PostgreSQL account cannot reach {@code dataDir}. */
    static EmbeddedPostgres start(Path dataDir, Path fallbackRoot) {
        return start(ReachableLayout.choose(ClusterLayout.under(dataDir), fallbackRoot));
    }

    static EmbeddedPostgres start(ClusterLayout layout) {
        long started = System.nanoTime();
        try {
            // Folders we create get modes an unprivileged PostgreSQL account can pass through.
            FileTree.createSearchable(layout.dataDir());
        } catch (IOException e) {
            throw new EmbeddedPostgresException("Cannot create the data directory " + layout.dataDir() + ": " + e, e);
        }
        DataDirLock lock = DataDirLock.acquire(layout.lockFile());
        try {
            EmbeddedPostgres postgres = startLocked(layout, lock);
            LOG.info("Embedded PostgreSQL ready in {} ms", (System.nanoTime() - started) / 1_000_000);
            return postgres;
        } catch (UncheckedIOException e) {
            lock.close();
            throw new EmbeddedPostgresException(e.getMessage() + ": " + e.getCause().getMessage(), e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** {@code postgresql://user:password@127.0.0.1:port/database}. */
    public String url() {
        return "postgresql://" + PostgresCluster.SUPERUSER + ":" + password + "@" + ListenPort.HOST + ":" + port
                + "/" + GatewayDatabase.NAME;
    }

    /** Stops PostgreSQL (fast shutdown: open transactions roll back) and releases the data directory. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            cluster.stop();
            LOG.info("Embedded PostgreSQL stopped");
        } finally {
            lock.close();
            if (Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException e) {
                    // The JVM is exiting; the hook will find us closed.
                }
            }
        }
    }

    /**
     * Drops the JVM shutdown hook, for an owner whose own hook closes this once nothing needs the
     * database any more. JVM hooks run concurrently, so without this PostgreSQL could stop while
     * the owner is still committing its last writes.
     */
    public void closeOnlyWhenAsked() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook runs; nothing left to hand over.
        }
    }

    /** The URL without the password, safe to log. */
    @Override
    public String toString() {
        return "EmbeddedPostgres[postgresql://" + PostgresCluster.SUPERUSER + "@" + ListenPort.HOST + ":" + port
                + "/" + GatewayDatabase.NAME + "]";
    }

    private static EmbeddedPostgres startLocked(ClusterLayout layout, DataDirLock lock) {
        RunAs runAs = RunAs.forCluster(layout.home());
        runAs.requireCanEnter(layout.dataDir());
        PostgresBinaries binaries = PostgresBinaries.unpackInto(layout.binariesRoot());
        runAs.requireCanEnter(binaries.home());
        prepareHome(layout, runAs);

        PostgresCluster cluster = new PostgresCluster(layout,
                new PostgresPrograms(binaries, runAs, layout.home(), layout.log()), runAs);
        String version = cluster.binariesVersion();
        LOG.info("Embedded PostgreSQL {}: data in {}, log in {}, running as {}",
                version, layout.pgdata(), layout.log(), runAs);
        String password = cluster.initializeIfNeeded(version);
        cluster.clearLeftovers();
        int port = ListenPort.choose(ClusterFiles.read(layout.portFile()));
        cluster.start(port);

        EmbeddedPostgres postgres = new EmbeddedPostgres(cluster, lock, port, password);
        Runtime.getRuntime().addShutdownHook(postgres.shutdownHook);
        try {
            String serverVersion = GatewayDatabase.ensureExists(port, PostgresCluster.SUPERUSER, password);
            ClusterFiles.write(layout.portFile(), String.valueOf(port), runAs);
            LOG.info("Embedded PostgreSQL {} listening on {}:{}, database '{}'",
                    serverVersion, ListenPort.HOST, port, GatewayDatabase.NAME);
        } catch (RuntimeException e) {
            try {
                postgres.close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
        return postgres;
    }

    private static void prepareHome(ClusterLayout layout, RunAs runAs) {
        Path home = layout.home();
        try {
            if (!Files.isDirectory(home)) {
                Files.createDirectory(home);
            }
            if (!runAs.owns(home)) {
                // Left root-owned, e.g. restored with cp -r as root: hand it all to the account.
                runAs.ownTree(home);
            }
            PosixFiles.setMode(home, "rwx------");
            if (!Files.exists(layout.log())) {
                Files.createFile(layout.log());
                PosixFiles.setMode(layout.log(), "rw-------");
            }
            runAs.own(layout.log());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + home, e);
        }
    }
}
