package dev.mdmgw.persistence.postgres;

import dev.mdmgw.persistence.CheckinStore;
import dev.mdmgw.persistence.DatabaseSettings;
import dev.mdmgw.persistence.read.EnrollmentQuery;
import dev.mdmgw.persistence.read.EnrollmentView;
import dev.mdmgw.persistence.read.Page;
import dev.mdmgw.persistence.read.PushInfo;
import dev.mdmgw.persistence.read.SealedBootstrapToken;
import dev.mdmgw.persistence.read.StoredBootstrapToken;
import dev.mdmgw.persistence.write.AuthenticateWrite;
import dev.mdmgw.persistence.write.BootstrapTokenWrite;
import dev.mdmgw.persistence.write.CheckOutWrite;
import dev.mdmgw.persistence.write.TokenUpdateWrite;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The PostgreSQL {@link CheckinStore}: writes through the batching {@link WriteStream}, reads
 * straight through the pool. It does not own the pool; {@code Database} does.
 */
public final class PostgresCheckinStore implements CheckinStore {

    /** Added to statement_timeout for the client-side backstop: the server should always fire first. */
    private static final Duration CLIENT_TIMEOUT_MARGIN = Duration.ofSeconds(2);

    private final WriteStream writes;
    private final EnrollmentReads reads;
    private final BootstrapTokens bootstrapTokens;
    private final SingleUseTokens singleUse;
    private final Organizations organizations;
    private final WriteMetrics metrics;

    private PostgresCheckinStore(WriteStream writes, EnrollmentReads reads, BootstrapTokens bootstrapTokens,
            SingleUseTokens singleUse, Organizations organizations, WriteMetrics metrics) {
        this.writes = writes;
        this.reads = reads;
        this.bootstrapTokens = bootstrapTokens;
        this.singleUse = singleUse;
        this.organizations = organizations;
        this.metrics = metrics;
    }

    /**
     * A store over {@code pool}, which must be bounded to {@code settings.poolMaxSize()}
     * connections with an acquire timeout: the write stream runs that many batches at most.
     */
    public static PostgresCheckinStore start(ConnectionFactory pool, DatabaseSettings settings, MeterRegistry meters) {
        WriteMetrics metrics = new WriteMetrics(meters, settings.maxBatchSize());
        BatchRunner runner = new BatchRunner(pool, metrics, settings.statementTimeout().plus(CLIENT_TIMEOUT_MARGIN),
                batchDeadline(settings));
        WriteStream writes = new WriteStream(settings.writeQueueCapacity(), settings.maxBatchSize(), settings.poolMaxSize(),
                settings.batchWindow(), settings.maxQueueWait(), runner::run, metrics, Schedulers.parallel(), System::nanoTime);
        return new PostgresCheckinStore(writes, new EnrollmentReads(pool), new BootstrapTokens(pool),
                new SingleUseTokens(pool), new Organizations(pool), metrics);
    }

    /**
     * How long one batch may hold its connection in all: two statement timeouts and the margin.
     * Room for one stalled statement and the rest of the batch, but a batch gone row by row on a
     * stalled database cannot take up to one statement timeout per row.
     */
    static Duration batchDeadline(DatabaseSettings settings) {
        return settings.statementTimeout().multipliedBy(2).plus(CLIENT_TIMEOUT_MARGIN);
    }

    /** Refuses new writes, and completes when every accepted write has committed or failed. */
    public Mono<Void> shutdown() {
        return Mono.defer(writes::close).doFinally(signal -> metrics.remove());
    }

    // A write missing its identity is a bug in the caller; it fails the Mono, never the stream.

    @Override
    public Mono<Void> authenticate(AuthenticateWrite write) {
        return Mono.defer(() -> {
            Objects.requireNonNull(write.deviceId(), "deviceId");
            Objects.requireNonNull(write.type(), "type");
            Objects.requireNonNull(write.organizationId(), "organizationId");
            return writes.submit(WriteKind.AUTHENTICATE, write);
        });
    }

    @Override
    public Mono<Void> tokenUpdate(TokenUpdateWrite write) {
        return Mono.defer(() -> {
            Objects.requireNonNull(write.enrollmentId(), "enrollmentId");
            Objects.requireNonNull(write.deviceId(), "deviceId");
            Objects.requireNonNull(write.type(), "type");
            Objects.requireNonNull(write.organizationId(), "organizationId");
            return writes.submit(WriteKind.TOKEN_UPDATE, write);
        });
    }

    @Override
    public Mono<Void> checkOut(CheckOutWrite write) {
        return Mono.defer(() -> {
            Objects.requireNonNull(write.enrollmentId(), "enrollmentId");
            Objects.requireNonNull(write.deviceId(), "deviceId");
            Objects.requireNonNull(write.type(), "type");
            Objects.requireNonNull(write.organizationId(), "organizationId");
            return writes.submit(WriteKind.CHECK_OUT, write);
        });
    }

    @Override
    public Mono<Void> setBootstrapToken(BootstrapTokenWrite write) {
        return Mono.defer(() -> {
            Objects.requireNonNull(write.deviceId(), "deviceId");
            Objects.requireNonNull(write.organizationId(), "organizationId");
            if ((write.sealedToken() == null) != (write.keyId() == null)) {
                throw new IllegalArgumentException("a sealed token comes with its key id, a removal with neither");
            }
            return bootstrapTokens.set(write);
        });
    }

    @Override
    public Mono<SealedBootstrapToken> findBootstrapToken(String deviceId) {
        return bootstrapTokens.find(deviceId);
    }

    @Override
    public Flux<StoredBootstrapToken> bootstrapTokensNotSealedWith(String keyId, String after, int limit) {
        return bootstrapTokens.notSealedWith(keyId, after, limit);
    }

    @Override
    public Mono<Long> countBootstrapTokensNotSealedWith(String keyId) {
        return bootstrapTokens.countNotSealedWith(keyId);
    }

    @Override
    public Mono<Boolean> resealBootstrapToken(String deviceId, byte[] expected, byte[] resealed, String keyId) {
        return bootstrapTokens.reseal(deviceId, expected, resealed, keyId);
    }

    @Override
    public Mono<Boolean> consumeWatchPairingToken(UUID tokenId, Instant expiresAt) {
        return singleUse.consume(tokenId, expiresAt);
    }

    @Override
    public Mono<String> organizationSettings(String organizationId) {
        return organizations.settings(organizationId);
    }

    @Override
    public Mono<Boolean> updateOrganizationSettings(String organizationId, String json) {
        return organizations.updateSettings(organizationId, json);
    }

    @Override
    public Mono<Void> recordUserAuthentication(String enrollmentId, String deviceId, String userId, String organizationId) {
        return organizations.recordUser(enrollmentId, deviceId, userId, organizationId);
    }

    @Override
    public Mono<EnrollmentView> findEnrollment(String organizationId, String enrollmentId) {
        return reads.find(organizationId, enrollmentId);
    }

    @Override
    public Mono<Page<EnrollmentView>> listEnrollments(EnrollmentQuery query) {
        return reads.list(query);
    }

    @Override
    public Flux<PushInfo> pushInfo(String organizationId, List<String> ids) {
        return reads.pushInfo(organizationId, ids);
    }

    @Override
    public Mono<Boolean> ping() {
        return reads.ping();
    }

    @Override
    public int queueDepth() {
        return writes.depth();
    }

    @Override
    public int queueCapacity() {
        return writes.capacity();
    }
}
