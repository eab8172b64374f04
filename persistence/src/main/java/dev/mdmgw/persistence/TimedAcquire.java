package dev.mdmgw.persistence;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * The pool, timing every acquire as {@code mdmgw_db_pool_acquire_seconds{outcome}}: time spent
 * waiting for a connection is the first sign the pool, not the database, is the limit. The pool's
 * own gauges ({@code r2dbc_pool_*}) say how many wait, this says for how long.
 */
final class TimedAcquire implements ConnectionFactory, Wrapped<ConnectionFactory> {
    private static final Duration[] BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(5)
    };

    private final ConnectionFactory pool;
    private final Timer acquired;
    private final Timer failed;
    private final MeterRegistry registry;

    TimedAcquire(ConnectionFactory pool, MeterRegistry registry) {
        this.pool = pool;
        this.registry = registry;
        this.acquired = timer(registry, "success");
        this.failed = timer(registry, "error");
    }

    private static Timer timer(MeterRegistry registry, String outcome) {
        return Timer.builder("mdmgw.db.pool.acquire")
                .description("Time to get a pooled connection; error = none in time, or none could be opened")
                .tag("outcome", outcome)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    @Override
    public Publisher<? extends Connection> create() {
        return Mono.defer(() -> {
            long start = System.nanoTime();
            return Mono.from(pool.create())
                    .doOnSuccess(c -> acquired.record(System.nanoTime() - start, TimeUnit.NANOSECONDS))
                    .doOnError(e -> failed.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
        });
    }

    @Override
    public ConnectionFactoryMetadata getMetadata() {
        return pool.getMetadata();
    }

    @Override
    public ConnectionFactory unwrap() {
        return pool;
    }

    void remove() {
        registry.remove(acquired);
        registry.remove(failed);
    }
}
