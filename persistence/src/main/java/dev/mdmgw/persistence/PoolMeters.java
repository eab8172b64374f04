package dev.mdmgw.persistence;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.PoolMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/** The pool's gauges, exported as {@code r2dbc_pool_*}: the first place to look when writes shed load. */
final class PoolMeters {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    PoolMeters(MeterRegistry registry, ConnectionPool pool) {
        this.registry = registry;
        gauge(pool, "r2dbc.pool.acquired", "Connections in use", PoolMetrics::acquiredSize);
        gauge(pool, "r2dbc.pool.idle", "Connections open and free", PoolMetrics::idleSize);
        gauge(pool, "r2dbc.pool.pending", "Requests waiting for a connection", PoolMetrics::pendingAcquireSize);
        gauge(pool, "r2dbc.pool.allocated", "Connections open", PoolMetrics::allocatedSize);
        gauge(pool, "r2dbc.pool.max.allocated", "Connections the pool may open", PoolMetrics::getMaxAllocatedSize);
    }

    void remove() {
        meters.forEach(registry::remove);
        meters.clear();
    }

    private void gauge(ConnectionPool pool, String name, String description, ToIntFunction<PoolMetrics> value) {
        meters.add(Gauge.builder(name, pool, p -> p.getMetrics().map(value::applyAsInt).orElse(0))
                .description(description)
                .tag("name", Database.APPLICATION_NAME)
                .register(registry));
    }
}
