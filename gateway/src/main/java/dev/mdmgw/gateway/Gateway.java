package dev.mdmgw.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mdmgw.gateway.config.Settings;
import dev.mdmgw.gateway.http.AdminRoutes;
import dev.mdmgw.gateway.http.BodyBudget;
import dev.mdmgw.gateway.http.CheckinRoute;
import dev.mdmgw.gateway.http.DecodeScheduler;
import dev.mdmgw.gateway.http.Drain;
import dev.mdmgw.gateway.http.HttpServers;
import dev.mdmgw.gateway.http.OpsRoutes;
import dev.mdmgw.gateway.config.DeviceAuth;
import dev.mdmgw.gateway.http.DeviceTls;
import dev.mdmgw.gateway.identity.DevelopmentCa;
import dev.mdmgw.gateway.identity.DeviceIdentities;
import dev.mdmgw.gateway.metrics.GatewayMetrics;
import dev.mdmgw.gateway.plist.CheckinDecoder;
import dev.mdmgw.gateway.plist.DecoderLimits;
import dev.mdmgw.gateway.service.CheckinService;
import dev.mdmgw.gateway.http.EnrollRoute;
import dev.mdmgw.gateway.http.PublicUrl;
import dev.mdmgw.gateway.service.org.OrganizationDirectory;
import dev.mdmgw.gateway.service.profile.ProfileSigner;
import dev.mdmgw.persistence.org.OrganizationStore;
import java.util.List;
import dev.mdmgw.gateway.service.escrow.DevelopmentKeys;
import dev.mdmgw.gateway.service.escrow.Resealer;
import dev.mdmgw.gateway.service.escrow.TokenSealer;
import dev.mdmgw.gateway.service.ddm.DeclarativeForwarder;
import dev.mdmgw.gateway.service.handler.DeclarativeManagementHandler;
import dev.mdmgw.gateway.service.handler.GetTokenHandler;
import dev.mdmgw.gateway.service.token.MaidTokens;
import dev.mdmgw.gateway.service.token.WatchPairingTokens;
import dev.mdmgw.persistence.CheckinStore;
import dev.mdmgw.persistence.Database;
import dev.mdmgw.persistence.DatabaseSettings;
import dev.mdmgw.persistence.embedded.EmbeddedPostgres;
import dev.mdmgw.persistence.write.WriteClock;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.http.HttpResources;

/**
 * One running gateway: its database (configured or embedded), its servers and its metrics.
 * {@link #start} blocks while it boots; {@link #close} drains: stop accepting, let in-flight
 * requests finish, commit every queued write, then release the database.
 */
public final class Gateway implements AutoCloseable {
    /** The seeded organization: check-ins whose topic no other organization owns (unless MDMGW_TOPICS says otherwise). */
    public static final String DEFAULT_ORGANIZATION = OrganizationDirectory.DEFAULT_ORGANIZATION;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** Bodies waiting for a decode thread; past this, 503. Enough to ride out a GC pause at full rate. */
    private static final int DECODE_QUEUE = 8192;
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final Settings settings;
    private final EmbeddedPostgres embedded;
    private final Database database;
    private final GatewayMetrics metrics;
    private final DecodeScheduler decodeScheduler;
    private final DeviceIdentities identities;
    private final DeclarativeForwarder ddm;
    private final OrganizationDirectory directory;
    private final HttpServers servers;
    private volatile boolean drainedCleanly;

    private Gateway(Settings settings, EmbeddedPostgres embedded, Database database, GatewayMetrics metrics,
            DecodeScheduler decodeScheduler, DeviceIdentities identities, DeclarativeForwarder ddm,
            OrganizationDirectory directory, HttpServers servers) {
        this.settings = settings;
        this.embedded = embedded;
        this.database = database;
        this.metrics = metrics;
        this.decodeScheduler = decodeScheduler;
        this.identities = identities;
        this.ddm = ddm;
        this.directory = directory;
        this.servers = servers;
    }

    public static Gateway start(Settings settings) {
        GatewayMetrics metrics = new GatewayMetrics();
        EmbeddedPostgres embedded = null;
        Database database = null;
        DecodeScheduler decode = null;
        DeviceIdentities identities = null;
        DeclarativeForwarder ddm = null;
        OrganizationDirectory directory = null;
        try {
            String url;
            if (settings.dbUrl().isPresent()) {
                url = settings.dbUrl().get();
            } else {
                embedded = EmbeddedPostgres.start(settings.dataDir());
                url = embedded.url();
                log.info("no MDMGW_DB_URL: using the embedded PostgreSQL {}", embedded);
            }
            // The HTTP server's own event loops (Reactor Netty's HttpResources, which HttpServers uses).
            database = Database.open(databaseSettings(settings, url), metrics.registry(), HttpResources.get());
            decode = new DecodeScheduler(Runtime.getRuntime().availableProcessors(), DECODE_QUEUE);
            TokenSealer sealer = bootstrapSealer(settings);
            WatchPairingTokens watchPairing = watchPairing(settings, database.store());
            ddm = settings.ddmUrl().map(backend -> new DeclarativeForwarder(backend, settings.ddmHmacKey().orElse(null),
                    Duration.ofSeconds(settings.ddmTimeoutSeconds()))).orElse(null);
            directory = organizationDirectory(settings, database.organizations());
            CheckinService service = new CheckinService(database.store(), database.organizations(), directory, sealer,
                    getTokenHandler(settings, watchPairing), new DeclarativeManagementHandler(ddm));
            PublicUrl publicUrl = new PublicUrl(settings.publicUrl().orElse(null));
            ProfileSigner signer = settings.profileSigningCertFile()
                    .map(cert -> ProfileSigner.read(cert, settings.profileSigningKeyFile().orElseThrow())).orElse(null);
            CheckinDecoder decoder = new CheckinDecoder(DecoderLimits.forMaxBody(settings.maxBodyBytes()));
            BodyBudget budget = BodyBudget.quarterOfHeap();
            Drain drain = new Drain();
            Settings.Identity identity = settings.identity();
            Path caFile = identity.mode() == DeviceAuth.NONE ? null
                    : identity.caFile().orElseGet(() -> DevelopmentCa.ensure(settings.dataDir()));
            identities = DeviceIdentities.start(identity, caFile, database.certificates(), metrics);
            SslContext deviceTls = identity.mode() != DeviceAuth.TLS ? null
                    : DeviceTls.serverContext(identity.tlsCertFile().orElseThrow(), identity.tlsKeyFile().orElseThrow(),
                            caFile, metrics);
            CheckinRoute checkin = new CheckinRoute(decoder, decode.scheduler(), identities.verifier(), service,
                    new WriteClock(), metrics, settings.maxBodyBytes(), budget, DEFAULT_ORGANIZATION);
            AdminRoutes admin = new AdminRoutes(database.store(), database.organizations(), directory,
                    settings.adminApiKey(), new ObjectMapper(), metrics, budget,
                    sealer == null ? null : new Resealer(database.store(), sealer), watchPairing, publicUrl, signer != null);
            OpsRoutes ops = new OpsRoutes(database.store(), metrics, drain);
            HttpServers servers = HttpServers.bind(settings, checkin, admin, ops,
                    new EnrollRoute(database.organizations(), publicUrl, signer), drain, deviceTls,
                    DeviceTls.missingCertificateCounter(metrics), metrics);
            publicUrl.defaultToPort(servers.httpPort());
            return new Gateway(settings, embedded, database, metrics, decode, identities, ddm, directory, servers);
        } catch (RuntimeException e) {
            if (directory != null) {
                directory.close();
            }
            if (identities != null) {
                identities.close();
            }
            if (ddm != null) {
                ddm.close();
            }
            if (decode != null) {
                decode.close();
            }
            if (database != null) {
                database.shutdown().block(Duration.ofSeconds(5));
            }
            if (embedded != null) {
                embedded.close();
            }
            metrics.close();
            throw e;
        }
    }

    /**
     * MDMGW_TOPICS become the default organization's topics (a topic another organization owns
     * fails the start), then every organization's topics are loaded for routing.
     */
    private static OrganizationDirectory organizationDirectory(Settings settings, OrganizationStore organizations) {
        if (!settings.topics().isEmpty()) {
            List<String> taken = organizations.claimTopics(DEFAULT_ORGANIZATION, List.copyOf(settings.topics()))
                    .block(START_TIMEOUT);
            if (taken != null && !taken.isEmpty()) {
                throw new IllegalArgumentException("MDMGW_TOPICS: " + taken + " belong to another organization");
            }
        }
        return new OrganizationDirectory(organizations, settings.topics().isEmpty()).start(START_TIMEOUT);
    }

    private static WatchPairingTokens watchPairing(Settings settings, CheckinStore store) {
        if (settings.watchPairingKey().isPresent()) {
            return new WatchPairingTokens(settings.watchPairingKey().get(), store, Clock.systemUTC());
        }
        if (settings.dbUrl().isEmpty()) {
            return new WatchPairingTokens(DevelopmentKeys.watchPairingKey(settings.dataDir()), store, Clock.systemUTC());
        }
        return null;
    }

    private static GetTokenHandler getTokenHandler(Settings settings, WatchPairingTokens watchPairing) {
        if (settings.serverUuid().isPresent() && settings.tokenSigningKeyFile().isPresent()) {
            return new GetTokenHandler(new MaidTokens(settings.serverUuid().get(),
                    MaidTokens.readKey(settings.tokenSigningKeyFile().get()), Clock.systemUTC()), null, watchPairing);
        }
        String missing = settings.serverUuid().isEmpty() && settings.tokenSigningKeyFile().isEmpty()
                ? "MDMGW_SERVER_UUID and MDMGW_TOKEN_SIGNING_KEY_FILE are not set"
                : (settings.serverUuid().isEmpty() ? "MDMGW_SERVER_UUID" : "MDMGW_TOKEN_SIGNING_KEY_FILE") + " is not set";
        return new GetTokenHandler(null, missing, watchPairing);
    }

    /** The escrow keys: configured, or generated into the data dir for the embedded default, or none. */
    private static TokenSealer bootstrapSealer(Settings settings) {
        if (settings.bootstrapKeys().isPresent()) {
            return new TokenSealer(settings.bootstrapKeys().get());
        }
        if (settings.dbUrl().isEmpty()) {
            return new TokenSealer(DevelopmentKeys.bootstrapKeys(settings.dataDir()));
        }
        log.warn("MDMGW_BOOTSTRAP_KEYS is unset: SetBootstrapToken is refused (400) and nothing can be escrowed");
        return null;
    }

    private static DatabaseSettings databaseSettings(Settings settings, String url) {
        DatabaseSettings db = DatabaseSettings.defaults(url);
        if (settings.dbPoolMax().isPresent()) {
            db = db.withPoolMaxSize(settings.dbPoolMax().get());
        }
        if (settings.writeQueueCapacity().isPresent()) {
            db = db.withWriteQueueCapacity(settings.writeQueueCapacity().get());
        }
        return db;
    }

    public int httpPort() {
        return servers.httpPort();
    }

    public int mgmtPort() {
        return servers.mgmtPort();
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    /**
     * On SIGTERM or Ctrl-C: drain and close, then run {@code afterwards}. This gateway's hook then
     * also stops the embedded PostgreSQL, last, instead of that database's own hook racing it.
     */
    public void closeOnShutdown(Runnable afterwards) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close();
            afterwards.run();
        }, "mdmgw-shutdown"));
        if (embedded != null) {
            embedded.closeOnlyWhenAsked();
        }
    }

    /** After {@link #close}: whether every queued write was committed or answered within the grace period. */
    public boolean drainedCleanly() {
        return drainedCleanly;
    }

    @Override
    public void close() {
        Duration grace = Duration.ofSeconds(settings.shutdownGraceSeconds());
        long deadline = System.nanoTime() + grace.toNanos();
        log.info("draining: readiness 503, then no new connections, finishing in-flight requests (up to {})", grace);
        try {
            servers.drainDevicePort(grace, Duration.ofSeconds(settings.shutdownDelaySeconds()));
            // Whatever the drain left of the grace period (at least a second) goes to committing the queue.
            Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), Duration.ofSeconds(1).toNanos()));
            database.shutdown().block(left);
            drainedCleanly = true;
        } catch (RuntimeException e) {
            log.error("the write queue did not drain within the grace period", e);
        } finally {
            servers.closeManagement();
            directory.close();
            identities.close();
            if (ddm != null) {
                ddm.close();
            }
            decodeScheduler.close();
            if (embedded != null) {
                embedded.close();
            }
            metrics.close();
        }
        log.info("stopped");
    }
}
