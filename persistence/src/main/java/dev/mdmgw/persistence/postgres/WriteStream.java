package dev.mdmgw.persistence.postgres;

import dev.mdmgw.persistence.StoreOverloadedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * The one queue every write of every request goes through, cut into batches that each commit as
 * one statement per kind.
 *
 * <p>Cutting: when no batch is in flight, whatever is queued goes at once, so a quiet gateway adds
 * no latency. While batches are in flight, a full batch ({@code maxBatchSize}) goes as soon as a
 * connection slot is free, and a partial one waits up to {@code window} for company: under load
 * that turns many small commits into a few large ones. At most {@code maxInFlight} batches run.
 *
 * <p>Threading: {@link #drain()} is a work-in-progress loop. Any thread may call it, only one runs
 * the loop at a time, a caller that finds it running leaves a "missed" mark and returns at once,
 * and the running thread loops again for it. Nothing here waits or locks.
 */
final class WriteStream {
    private static final Logger log = LoggerFactory.getLogger(WriteStream.class);

    private final int capacity;
    private final int maxBatchSize;
    private final int maxInFlight;
    private final long windowNanos;
    private final Function<List<PendingWrite<?>>, Mono<Void>> runner;
    private final WriteMetrics metrics;
    private final Scheduler timer;

    private final Queue<PendingWrite<?>> queue = new ConcurrentLinkedQueue<>();
    /** Queued writes plus slots reserved by submitters about to enqueue: the bound is enforced here. */
    private final AtomicInteger depth = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger wip = new AtomicInteger();
    private final Sinks.Empty<Void> drained = Sinks.empty();

    private volatile boolean closed;
    /** Set by the window timer; a spurious true only cuts one batch early, which is harmless. */
    private volatile boolean windowDue;
    /** Touched only by the thread running the drain loop. */
    private Disposable window;

    WriteStream(int capacity, int maxBatchSize, int maxInFlight, Duration window,
                Function<List<PendingWrite<?>>, Mono<Void>> runner, WriteMetrics metrics, Scheduler timer) {
        this.capacity = capacity;
        this.maxBatchSize = maxBatchSize;
        this.maxInFlight = maxInFlight;
        this.windowNanos = window.toNanos();
        this.runner = runner;
        this.metrics = metrics;
        this.timer = timer;
        metrics.queueGauges(depth::get, capacity);
    }

    /** Completes once the write's statement committed; fails at once when the queue is full. */
    <W> Mono<Void> submit(WriteKind kind, W write) {
        return Mono.create(caller -> {
            if (!reserve()) {
                metrics.rejectedFull().increment();
                caller.error(new StoreOverloadedException("write queue full (" + capacity + " waiting)"));
                return;
            }
            // Checked after reserving: close() then either sees our reservation and waits for it,
            // or we see closed and give the slot back (see close()).
            if (closed) {
                depth.decrementAndGet();
                metrics.rejectedClosed().increment();
                caller.error(new StoreOverloadedException("the store is shutting down"));
                drain();
                return;
            }
            queue.offer(new PendingWrite<>(kind, write, caller));
            drain();
        });
    }

    int depth() {
        return depth.get();
    }

    int capacity() {
        return capacity;
    }

    /**
     * Refuses new writes from now on and completes when every write accepted before has been
     * committed or failed. Acts when called, not when subscribed.
     */
    Mono<Void> close() {
        closed = true;
        drain();
        return drained.asMono();
    }

    private boolean reserve() {
        for (;;) {
            int current = depth.get();
            if (current >= capacity) {
                return false;
            }
            if (depth.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            cutBatches();
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void cutBatches() {
        while (inFlight.get() < maxInFlight) {
            int queued = depth.get();
            if (queued == 0) {
                break;
            }
            boolean busy = inFlight.get() > 0;
            if (busy && queued < maxBatchSize && !windowDue && !closed && windowNanos > 0) {
                openWindow();
                return;
            }
            List<PendingWrite<?>> batch = poll();
            if (batch.isEmpty()) {
                break; // only reservations: their submitters drain again once they enqueued
            }
            closeWindow();
            inFlight.incrementAndGet();
            launch(batch);
        }
        if (closed && depth.get() == 0 && inFlight.get() == 0) {
            drained.tryEmitEmpty();
        }
    }

    private List<PendingWrite<?>> poll() {
        List<PendingWrite<?>> batch = new ArrayList<>(Math.min(maxBatchSize, depth.get()));
        PendingWrite<?> next;
        while (batch.size() < maxBatchSize && (next = queue.poll()) != null) {
            batch.add(next);
        }
        depth.addAndGet(-batch.size());
        return batch;
    }

    private void openWindow() {
        if (window == null) {
            window = timer.schedule(() -> {
                windowDue = true;
                drain();
            }, windowNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void closeWindow() {
        windowDue = false;
        if (window != null) {
            window.dispose();
            window = null;
        }
    }

    private void launch(List<PendingWrite<?>> batch) {
        Mono<Void> run;
        try {
            run = runner.apply(batch);
        } catch (RuntimeException e) {
            run = Mono.error(e);
        }
        run.subscribe(null, error -> {
            // The runner settles every write itself; reaching here is a bug, and no caller may hang on it.
            log.error("write batch failed outside the runner", error);
            batch.forEach(w -> w.failed(Failures.statement(error)));
            finished();
        }, this::finished);
    }

    private void finished() {
        inFlight.decrementAndGet();
        drain();
    }
}
