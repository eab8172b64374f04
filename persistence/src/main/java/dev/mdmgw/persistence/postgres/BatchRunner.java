package dev.mdmgw.persistence.postgres;

import dev.mdmgw.persistence.StoreException;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Runs one cut batch on one pooled connection: one statement per kind present, each in its own
 * implicit transaction, each acknowledging its own writes when it commits. Never fails itself:
 * every outcome is delivered to the writes.
 *
 * <p>Bounded: the whole batch, its reruns after a deadlock and its row-by-row phase included, has
 * one deadline. A statement's client-side timeout is cut to the time left; a statement that would
 * start past the deadline is not sent, its rows fail.
 */
final class BatchRunner {
    private static final Logger log = LoggerFactory.getLogger(BatchRunner.class);

    /**
     * A deadlock or serialization failure rolls the statement back; a few reruns settle it. They
     * wait a little, jittered, so two statements that just collided do not collide again in step.
     */
    private static final int ROLLBACK_RETRIES = 3;
    private static final Duration ROLLBACK_BACKOFF = Duration.ofMillis(10);
    private static final Duration ROLLBACK_MAX_BACKOFF = Duration.ofMillis(200);

    private final ConnectionFactory pool;
    private final WriteMetrics metrics;
    private final Duration clientTimeout;
    private final long batchDeadlineNanos;
    private final Map<WriteKind, WriteStatement<?>> statements = new EnumMap<>(WriteKind.class);

    /**
     * @param clientTimeout the backstop when the server cannot enforce its statement_timeout
     *                      (a network partition): the connection is then discarded
     * @param batchDeadline how long one batch may take in all, from acquiring its connection
     */
    BatchRunner(ConnectionFactory pool, WriteMetrics metrics, Duration clientTimeout, Duration batchDeadline) {
        this.pool = pool;
        this.metrics = metrics;
        this.clientTimeout = clientTimeout;
        this.batchDeadlineNanos = batchDeadline.toNanos();
        for (WriteStatement<?> s : List.of(new AuthenticateStatement(), new TokenUpdateStatement(), new CheckOutStatement())) {
            statements.put(s.kind(), s);
        }
    }

    Mono<Void> run(List<PendingWrite<?>> batch) {
        Map<WriteKind, List<PendingWrite<?>>> byKind = new EnumMap<>(WriteKind.class);
        for (PendingWrite<?> w : batch) {
            byKind.computeIfAbsent(w.kind, k -> new ArrayList<>()).add(w);
        }
        AtomicBoolean broken = new AtomicBoolean();
        return Mono.usingWhen(
                        Mono.from(pool.create()).onErrorMap(Failures::acquisition),
                        connection -> {
                            long deadline = System.nanoTime() + batchDeadlineNanos;
                            return Flux.fromIterable(byKind.entrySet())
                                    .concatMap(kind -> runKind(connection, broken, deadline, statements.get(kind.getKey()), kind.getValue()))
                                    .then();
                        },
                        connection -> release(connection, broken),
                        (connection, error) -> release(connection, broken),
                        connection -> release(connection, broken))
                .onErrorResume(error -> {
                    StoreException failure = Failures.acquisition(error);
                    batch.forEach(w -> w.failed(failure));
                    return Mono.empty();
                });
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private <W> Mono<Void> runKind(Connection connection, AtomicBoolean broken, long deadline, WriteStatement<W> statement,
                                   List<PendingWrite<?>> untyped) {
        List<PendingWrite<W>> writes = (List) untyped;
        return Mono.defer(() -> {
            List<CoalescedRow<W>> rows = CoalescedRow.coalesce(writes, statement::key, statement::version);
            StoreException unusable = unusable(broken, deadline);
            if (unusable != null) {
                rows.forEach(r -> r.failed(unusable));
                return Mono.empty();
            }
            metrics.batchSize(statement.kind()).record(writes.size());
            if (writes.size() > rows.size()) {
                metrics.coalesced().increment(writes.size() - rows.size());
            }
            return execute(connection, broken, deadline, statement, rows)
                    .doOnSuccess(done -> rows.forEach(CoalescedRow::committed))
                    .onErrorResume(error -> {
                        if (rows.size() > 1 && Failures.isRowError(error)) {
                            log.warn("{} batch of {} rows refused ({}); retrying its rows one by one",
                                    statement.kind().tag(), rows.size(), error.getMessage());
                            metrics.retriedRowByRow().increment();
                            return oneByOne(connection, broken, deadline, statement, rows);
                        }
                        StoreException failure = Failures.statement(error);
                        rows.forEach(r -> r.failed(failure));
                        return Mono.empty();
                    });
        });
    }

    /**
     * Reruns a refused batch one row per statement, so its good rows commit. Only row errors (see
     * {@link Failures#isRowError}) let it go on: the first other error (a statement timeout, a lost
     * connection) would hit every later row too, so it fails them all at once. Before each row it
     * checks that the connection is still usable and the batch's deadline not past.
     */
    private <W> Mono<Void> oneByOne(Connection connection, AtomicBoolean broken, long deadline, WriteStatement<W> statement,
                                    List<CoalescedRow<W>> rows) {
        return Mono.defer(() -> {
            AtomicReference<StoreException> stop = new AtomicReference<>();
            return Flux.fromIterable(rows)
                    .concatMap(row -> {
                        StoreException stopped = stop.get() != null ? stop.get() : unusable(broken, deadline);
                        if (stopped != null) {
                            stop.set(stopped);
                            row.failed(stopped);
                            return Mono.empty();
                        }
                        return execute(connection, broken, deadline, statement, List.of(row))
                                .doOnSuccess(done -> row.committed())
                                .onErrorResume(error -> {
                                    StoreException failure = Failures.statement(error);
                                    row.failed(failure);
                                    if (Failures.isRowError(error)) {
                                        log.warn("{} row {} refused: {}", statement.kind().tag(), row.key, error.getMessage());
                                    } else {
                                        log.warn("{} row {} failed ({}); failing the rest of the batch with it",
                                                statement.kind().tag(), row.key, error.getMessage());
                                        stop.set(failure);
                                    }
                                    return Mono.empty();
                                });
                    })
                    .then();
        });
    }

    /** Why no further statement of this batch may run, or null when one may. */
    private StoreException unusable(AtomicBoolean broken, long deadline) {
        if (broken.get()) {
            // An earlier statement of this batch timed out: this connection is being thrown away.
            return Failures.statement(new TimeoutException("connection abandoned after a timeout"));
        }
        if (deadline - System.nanoTime() <= 0) {
            return Failures.statement(new TimeoutException("the write batch ran past its deadline of "
                    + TimeUnit.NANOSECONDS.toMillis(batchDeadlineNanos) + " ms"));
        }
        return null;
    }

    private <W> Mono<Void> execute(Connection connection, AtomicBoolean broken, long deadline, WriteStatement<W> statement,
                                   List<CoalescedRow<W>> rows) {
        Mono<Void> once = Mono.defer(() -> {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Mono.error(new TimeoutException("the write batch ran past its deadline of "
                        + TimeUnit.NANOSECONDS.toMillis(batchDeadlineNanos) + " ms"));
            }
            Statement s = connection.createStatement(statement.sql());
            statement.bind(s, rows);
            // getRowsUpdated drains the exchange up to ReadyForQuery, which PostgreSQL sends only
            // after the implicit (autocommit) transaction committed: completion means durable.
            // Cut to the batch's time left: the connection is then discarded, as after any timeout.
            return Flux.from(s.execute()).flatMap(Result::getRowsUpdated).then()
                    .timeout(Duration.ofNanos(Math.min(clientTimeout.toNanos(), left)))
                    .doOnError(TimeoutException.class, e -> broken.set(true));
        });

        return Mono.defer(() -> {
            long start = System.nanoTime();
            return once
                    .retryWhen(Retry.backoff(ROLLBACK_RETRIES, ROLLBACK_BACKOFF)
                            .maxBackoff(ROLLBACK_MAX_BACKOFF)
                            .jitter(0.5)
                            .filter(Failures::isRolledBack)
                            .doBeforeRetry(signal -> metrics.retriedRolledBack().increment())
                            .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                    .doOnSuccess(done -> metrics.duration(statement.kind(), true).record(System.nanoTime() - start, TimeUnit.NANOSECONDS))
                    .doOnError(error -> metrics.duration(statement.kind(), false).record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
        });
    }

    /**
     * After a client-side timeout the connection may still be mid-exchange: close the physical
     * connection so the pool's validation on the next acquire evicts it, instead of reusing it.
     */
    private static Mono<Void> release(Connection connection, AtomicBoolean broken) {
        Mono<Void> physical = Mono.empty();
        if (broken.get() && connection instanceof Wrapped<?> wrapped && wrapped.unwrap() instanceof Connection raw) {
            physical = Mono.from(raw.close()).onErrorResume(e -> Mono.empty());
        }
        return physical.then(Mono.from(connection.close()))
                .onErrorResume(e -> {
                    log.debug("releasing a connection failed", e);
                    return Mono.empty();
                });
    }
}
