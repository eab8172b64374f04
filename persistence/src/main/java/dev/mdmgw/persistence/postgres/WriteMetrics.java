package dev.mdmgw.persistence.postgres;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The write stream's meters, created once so the hot path only increments. */
final class WriteMetrics {
    private static final Duration[] DURATION_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };

    private final MeterRegistry registry;
    private final List<Meter> registered = new ArrayList<>();
    private final Map<WriteKind, DistributionSummary> batchSize = new EnumMap<>(WriteKind.class);
    private final Map<WriteKind, Timer> succeeded = new EnumMap<>(WriteKind.class);
    private final Map<WriteKind, Timer> failed = new EnumMap<>(WriteKind.class);
    private final Counter coalesced;
    private final Counter rejectedFull;
    private final Counter rejectedClosed;
    private final Counter rejectedExpired;
    private final Counter retriedRolledBack;
    private final Counter retriedRowByRow;

    WriteMetrics(MeterRegistry registry, int maxBatchSize) {
        this.registry = registry;
        double[] sizeBuckets = sizeBuckets(maxBatchSize);
        for (WriteKind kind : WriteKind.values()) {
            batchSize.put(kind, keep(DistributionSummary.builder("mdmgw.write.batch.size")
                    .description("Writes carried by one statement (before coalescing)")
                    .tag("kind", kind.tag())
                    .serviceLevelObjectives(sizeBuckets)
                    .register(registry)));
            succeeded.put(kind, keep(timer(kind, "success")));
            failed.put(kind, keep(timer(kind, "error")));
        }
        coalesced = keep(Counter.builder("mdmgw.write.coalesced")
                .description("Writes that shared another write's row in the same statement")
                .register(registry));
        rejectedFull = keep(rejected("full"));
        rejectedClosed = keep(rejected("closed"));
        rejectedExpired = keep(rejected("expired"));
        retriedRolledBack = keep(retried("rolled_back"));
        retriedRowByRow = keep(retried("row_by_row"));
    }

    void queueGauges(Supplier<Number> depth, int capacity) {
        keep(Gauge.builder("mdmgw.write.queue.depth", depth).description("Writes waiting for a batch")
                .strongReference(true).register(registry));
        keep(Gauge.builder("mdmgw.write.queue.capacity", () -> capacity)
                .description("Writes that may wait before new ones are refused").strongReference(true)
                .register(registry));
    }

    DistributionSummary batchSize(WriteKind kind) {
        return batchSize.get(kind);
    }

    Timer duration(WriteKind kind, boolean success) {
        return success ? succeeded.get(kind) : failed.get(kind);
    }

    Counter coalesced() {
        return coalesced;
    }

    Counter rejectedFull() {
        return rejectedFull;
    }

    Counter rejectedClosed() {
        return rejectedClosed;
    }

    Counter rejectedExpired() {
        return rejectedExpired;
    }

    /** A statement rerun after PostgreSQL rolled it back (deadlock, serialization failure). */
    Counter retriedRolledBack() {
        return retriedRolledBack;
    }

    /** A batch refused for one of its rows, rerun one row per statement. */
    Counter retriedRowByRow() {
        return retriedRowByRow;
    }

    /** A store that shut down must not leave gauges reporting a queue that no longer exists. */
    void remove() {
        registered.forEach(registry::remove);
        registered.clear();
    }

    private Timer timer(WriteKind kind, String outcome) {
        return Timer.builder("mdmgw.write.batch.duration")
                .description("Time for one write statement to commit, or to fail")
                .tags("kind", kind.tag(), "outcome", outcome)
                .serviceLevelObjectives(DURATION_BUCKETS)
                .register(registry);
    }

    private Counter rejected(String reason) {
        return Counter.builder("mdmgw.write.rejected")
                .description("Writes refused without reaching the database: queue full, store closed, or waited too long in the queue")
                .tag("reason", reason)
                .register(registry);
    }

    private Counter retried(String reason) {
        return Counter.builder("mdmgw.write.retries")
                .description("Write statements run again: after a rollback (deadlock), or a refused batch row by row")
                .tag("reason", reason)
                .register(registry);
    }

    private <M extends Meter> M keep(M meter) {
        registered.add(meter);
        return meter;
    }

    private static double[] sizeBuckets(int maxBatchSize) {
        List<Double> buckets = new ArrayList<>();
        for (int b = 1; b < maxBatchSize; b *= 2) {
            buckets.add((double) b);
        }
        buckets.add((double) maxBatchSize);
        return buckets.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
