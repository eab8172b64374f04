package dev.mdmgw.persistence.postgres;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The writes of one batch that land on the same row (same enrollment, or same device for
 * Authenticate). One row is written for all of them and its commit acknowledges each.
 */
final class CoalescedRow<W> {
    final String key;
    private final List<PendingWrite<W>> writes = new ArrayList<>(1);
    private final ToLongFunction<W> version;
    private W newest;

    private CoalescedRow(String key, ToLongFunction<W> version) {
        this.key = key;
        this.version = version;
    }

    /**
     * Groups by key, sorted by key: every batch then locks its rows in the same order, so two
     * batches in flight that share rows wait for each other instead of deadlocking.
     */
    static <W> List<CoalescedRow<W>> coalesce(List<PendingWrite<W>> writes, Function<W, String> key, ToLongFunction<W> version) {
        Map<String, CoalescedRow<W>> byKey = new TreeMap<>();
        for (PendingWrite<W> w : writes) {
            byKey.computeIfAbsent(key.apply(w.write), k -> new CoalescedRow<>(k, version)).add(w);
        }
        return new ArrayList<>(byKey.values());
    }

    private void add(PendingWrite<W> w) {
        writes.add(w);
        if (newest == null || version.applyAsLong(w.write) > version.applyAsLong(newest)) {
            newest = w.write;
        }
    }

    /** The highest-version write: its values win. */
    W newest() {
        return newest;
    }

    long newestVersion() {
        return version.applyAsLong(newest);
    }

    int size() {
        return writes.size();
    }

    /** The writes, highest version first, for fields where an older write can still contribute. */
    List<W> newestFirst() {
        List<W> sorted = new ArrayList<>(writes.size());
        writes.forEach(w -> sorted.add(w.write));
        sorted.sort(Comparator.comparingLong(version).reversed());
        return sorted;
    }

    void committed() {
        writes.forEach(PendingWrite::committed);
    }

    void failed(Throwable error) {
        writes.forEach(w -> w.failed(error));
    }
}
