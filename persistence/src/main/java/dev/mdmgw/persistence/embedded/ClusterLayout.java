package dev.mdmgw.persistence.embedded;

import java.nio.file.Path;

/**
 * Where the embedded PostgreSQL keeps its files under the gateway's data directory.
 *
 * <pre>
 * dataDir/
 *   postgres.lock          held by the running gateway (one per data directory)
 *   postgres-binaries/     programs unpacked from the binaries jar, one folder per archive
 *   postgres/              owned by the account PostgreSQL runs as, mode 0700
 *     data/                the cluster (PGDATA)
 *     postgres.log         initdb, pg_ctl and server output
 *     superuser.password   generated at initdb, mode 0600
 *     port                 the port of the last run, reused while free
 *     initialized          written once initdb succeeded
 *     run/                 the unix socket
 *     data.unfinished-*    what an interrupted initdb left, set aside rather than deleted
 * </pre>
 *
 * Everything PostgreSQL writes sits under one account-owned folder, so running as root only
 * has to hand that one folder over.
 */
record ClusterLayout(Path dataDir, Path binariesRoot) {

    static ClusterLayout under(Path dataDir) {
        Path absolute = dataDir.toAbsolutePath().normalize();
        return new ClusterLayout(absolute, absolute.resolve("postgres-binaries"));
    }

    /** Tests share one unpacked copy of the binaries between data directories. */
    ClusterLayout withBinariesIn(Path root) {
        return new ClusterLayout(dataDir, root.toAbsolutePath().normalize());
    }

    Path lockFile() {
        return dataDir.resolve("postgres.lock");
    }

    Path home() {
        return dataDir.resolve("postgres");
    }

    Path pgdata() {
        return home().resolve("data");
    }

    Path log() {
        return home().resolve("postgres.log");
    }

    Path passwordFile() {
        return home().resolve("superuser.password");
    }

    Path portFile() {
        return home().resolve("port");
    }

    Path initializedMarker() {
        return home().resolve("initialized");
    }

    Path socketDir() {
        return home().resolve("run");
    }

    Path postmasterPid() {
        return pgdata().resolve("postmaster.pid");
    }
}
