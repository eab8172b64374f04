package dev.mdmgw.persistence;

import dev.mdmgw.persistence.identity.CertificateStore;
import dev.mdmgw.persistence.org.OrganizationStore;
import dev.mdmgw.persistence.postgres.BinaryArrayCodec;
import dev.mdmgw.persistence.postgres.PostgresCertificateStore;
import dev.mdmgw.persistence.postgres.PostgresCheckinStore;
import dev.mdmgw.persistence.postgres.PostgresOrganizationStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.postgresql.client.SSLMode;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * The gateway's PostgreSQL: migrated schema, bounded connection pool, and the {@link CheckinStore}
 * over them. {@link #open} is the one blocking call, for start-up; everything after is reactive.
 */
public final class Database {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    public static final String APPLICATION_NAME = "mdm-gateway";
    /**
     * How long a write batch or a read waits for a connection before it is shed as overloaded.
     * Short on purpose: a device that gets a 503 comes back, a request queued behind a stalled
     * database only holds memory.
     */
    public static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MAX_IDLE_TIME = Duration.ofMinutes(10);

    private final ConnectionPool pool;
    private final PostgresCheckinStore store;
    private final PostgresCertificateStore certificates;
    private final PostgresOrganizationStore organizations;
    private final PoolMeters poolMeters;
    private final Mono<Void> shutdown;

    private Database(ConnectionPool pool, DatabaseSettings settings, MeterRegistry meters) {
        this.pool = pool;
        TimedAcquire timed = new TimedAcquire(pool, meters);
        this.store = PostgresCheckinStore.start(timed, settings, meters);
        this.certificates = new PostgresCertificateStore(timed, pool.unwrap());
        this.organizations = new PostgresOrganizationStore(timed);
        this.poolMeters = new PoolMeters(meters, pool);
        this.shutdown = store.shutdown()
                .then(Mono.defer(pool::disposeLater))
                .doFinally(signal -> {
                    poolMeters.remove();
                    timed.remove();
                })
                .cache();
    }

    /** Migrates the schema, then connects. Blocking: call it once at start-up. */
    public static Database open(DatabaseSettings settings, MeterRegistry meters) {
        return open(settings, meters, null);
    }

    /**
     * As {@link #open(DatabaseSettings, MeterRegistry)}, with the connections on {@code loops}
     * (null: Reactor Netty's default TCP loops). A server that passes its own event loops saves a
     * thread hop per request: a batch's commit then completes its requests on the loops that
     * answer them, and two cores run two event-loop threads instead of four.
     */
    public static Database open(DatabaseSettings settings, MeterRegistry meters, LoopResources loops) {
        migrate(settings);
        Database db = over(createPool(settings, loops), settings, meters);
        log.info("database ready: {}", settings);
        return db;
    }

    /** Brings the schema up to date (Flyway over JDBC). Blocking. */
    public static void migrate(DatabaseSettings settings) {
        Migrations.run(settings.parsedUrl());
    }

    /** A store over the settings' database without migrating it: tests, or a schema managed elsewhere. */
    public static Database connect(DatabaseSettings settings, MeterRegistry meters) {
        return over(createPool(settings), settings, meters);
    }

    /**
     * A store over a pool built elsewhere (tests: a pool to a dead port, a pool of one). The pool
     * should be bounded to {@code settings.poolMaxSize()} with an acquire timeout; the database
     * owns it from now on and closes it on {@link #shutdown()}.
     */
    public static Database over(ConnectionPool pool, DatabaseSettings settings, MeterRegistry meters) {
        return new Database(pool, settings, meters);
    }

    /** The pool {@link #connect} uses: bounded, failing fast, every session tagged and time-limited. */
    public static ConnectionPool createPool(DatabaseSettings settings) {
        return createPool(settings, null);
    }

    private static ConnectionPool createPool(DatabaseSettings settings, LoopResources loops) {
        PostgresUrl url = settings.parsedUrl();
        PostgresqlConnectionConfiguration.Builder connection = PostgresqlConnectionConfiguration.builder()
                .host(url.host())
                .port(url.port())
                .database(url.database())
                .username(url.user())
                .applicationName(APPLICATION_NAME)
                .statementTimeout(settings.statementTimeout())
                .connectTimeout(CONNECT_TIMEOUT)
                .tcpKeepAlive(true)
                .codecRegistrar(BinaryArrayCodec.registrar())
                .sslMode(SSLMode.fromValue(url.sslMode()));
        if (loops != null) {
            connection.loopResources(loops);
        }
        if (url.password() != null) {
            connection.password(url.password());
        }
        if (url.params().containsKey("sslrootcert")) {
            connection.sslRootCert(url.params().get("sslrootcert"));
        }
        return new ConnectionPool(ConnectionPoolConfiguration.builder(new PostgresqlConnectionFactory(connection.build()))
                .name(APPLICATION_NAME)
                .initialSize(0)
                .maxSize(settings.poolMaxSize())
                .maxAcquireTime(ACQUIRE_TIMEOUT)
                .maxCreateConnectionTime(CONNECT_TIMEOUT)
                .maxIdleTime(MAX_IDLE_TIME)
                .build());
    }

    public CheckinStore store() {
        return store;
    }

    /** Device identity certificates and their bindings, through the same pool. */
    public CertificateStore certificates() {
        return certificates;
    }

    /** Organizations, their topics, API keys and enrollment tokens, through the same pool. */
    public OrganizationStore organizations() {
        return organizations;
    }

    /**
     * On subscription: refuses new writes (they fail with {@link StoreOverloadedException}), commits
     * or fails every write already accepted, then closes the pool and removes the meters. Completes
     * when all that is done; idempotent. Bound it with the shutdown grace ({@code .timeout(...)}).
     */
    public Mono<Void> shutdown() {
        return shutdown;
    }
}
