package dev.mdmgw.persistence.postgres;

import dev.mdmgw.persistence.identity.BindOutcome;
import dev.mdmgw.persistence.identity.BoundCertificate;
import dev.mdmgw.persistence.identity.CertificateStore;
import dev.mdmgw.persistence.identity.ReplacedCertificates;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Certificate bindings in {@code device_certificates}. A bind is one call of
 * {@code mdmgw_bind_certificate} (V2 migration), atomic on the server: one round trip, no
 * transaction held open across the network.
 */
public final class PostgresCertificateStore implements CertificateStore {

    private static final String BIND = """
            SELECT outcome, ARRAY(SELECT encode(f, 'hex') FROM unnest(replaced) AS f) AS replaced
            FROM mdmgw_bind_certificate($1, $2, $3, $4)
            """;
    private static final String FIND = "SELECT device_id, current FROM device_certificates WHERE fingerprint = $1";
    /** A bind that lost a race for a never-seen certificate is rolled back (40001); once more decides it. */
    private static final int ROLLED_BACK_RETRIES = 3;
    private static final Duration RETRY_BACKOFF = Duration.ofMillis(5);

    private static final HexFormat HEX = HexFormat.of();

    static final String CHANNEL = "mdmgw_certificates";
    private static final Duration RELISTEN_MIN = Duration.ofMillis(500);
    private static final Duration RELISTEN_MAX = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(PostgresCertificateStore.class);

    private final ConnectionFactory pool;
    private final ConnectionFactory listenerConnections;

    /** @param listenerConnections unpooled connections, for the one that LISTENs */
    public PostgresCertificateStore(ConnectionFactory pool, ConnectionFactory listenerConnections) {
        this.pool = pool;
        this.listenerConnections = listenerConnections;
    }

    @Override
    public Mono<BindOutcome> bind(byte[] fingerprint, String deviceId, Instant notAfter, boolean retro) {
        return withConnection(c -> Flux.from(c.createStatement(BIND)
                                .bind(0, ByteBuffer.wrap(fingerprint))
                                .bind(1, deviceId)
                                .bind(2, OffsetDateTime.ofInstant(notAfter, ZoneOffset.UTC))
                                .bind(3, retro)
                                .execute())
                        .flatMap(r -> r.map(row -> new BindOutcome(
                                result(row.get("outcome", String.class)),
                                Arrays.stream(row.get("replaced", String[].class)).map(HEX::parseHex).toList()))))
                .retryWhen(Retry.backoff(ROLLED_BACK_RETRIES, RETRY_BACKOFF).filter(Failures::isRolledBack))
                .onErrorMap(Failures::statement)
                .single();
    }

    @Override
    public Mono<BoundCertificate> find(byte[] fingerprint) {
        return withConnection(c -> Flux.from(c.createStatement(FIND).bind(0, ByteBuffer.wrap(fingerprint)).execute())
                        .flatMap(r -> r.map(row -> new BoundCertificate(row.get("device_id", String.class),
                                Boolean.TRUE.equals(row.get("current", Boolean.class))))))
                .onErrorMap(Failures::statement)
                .next();
    }

    @Override
    public Flux<ReplacedCertificates> replacements() {
        return Flux.usingWhen(Mono.from(listenerConnections.create()), this::listen, Connection::close)
                .doOnError(e -> log.warn("lost the certificate replacement channel ({}); listening again, bindings "
                        + "replaced meanwhile expire from caches by their time limit", e.toString()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, RELISTEN_MIN).maxBackoff(RELISTEN_MAX));
    }

    private Flux<ReplacedCertificates> listen(Connection c) {
        if (!(c instanceof PostgresqlConnection pg)) {
            return Flux.error(new IllegalStateException("LISTEN needs a PostgreSQL connection, got " + c.getClass()));
        }
        return Flux.from(pg.createStatement("LISTEN " + CHANNEL).execute())
                .flatMap(Result::getRowsUpdated)
                .thenMany(Flux.concat(Mono.just(ReplacedCertificates.RESYNC),
                        pg.getNotifications().map(n -> parse(n.getParameter()))))
                // The notification stream ends with its connection: make that a failure, so it is retried.
                .concatWith(Mono.error(() -> new IllegalStateException("the LISTEN connection closed")));
    }

    private static ReplacedCertificates parse(String payload) {
        if (payload == null || payload.isEmpty()) {
            return ReplacedCertificates.RESYNC;
        }
        return new ReplacedCertificates(false, Arrays.stream(payload.split(",")).map(HEX::parseHex).toList());
    }

    private <T> Flux<T> withConnection(Function<Connection, Publisher<T>> work) {
        return Flux.usingWhen(Mono.from(pool.create()).onErrorMap(Failures::acquisition), work, Connection::close);
    }

    private static BindOutcome.Result result(String outcome) {
        return switch (outcome) {
            case "bound" -> BindOutcome.Result.BOUND;
            case "bound_elsewhere" -> BindOutcome.Result.BOUND_ELSEWHERE;
            case "replaced" -> BindOutcome.Result.REPLACED;
            case "not_bound" -> BindOutcome.Result.NOT_BOUND;
            default -> throw new IllegalStateException("unknown bind outcome " + outcome);
        };
    }

}
