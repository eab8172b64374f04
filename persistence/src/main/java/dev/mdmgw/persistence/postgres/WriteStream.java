package dev.mdmgw.persistence.postgres;

import dev.mdmgw.persistence.StoreOverloadedException;
import dev.mdmgw.persistence.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * <p>Deadline: a write that waited longer than {@code maxQueueWait} is failed instead of sent (see
 * {@link QueueDeadline}). Every drain pass fails the overdue writes at the head of the queue, even
 * when no slot is free, and the deadline's timer runs a pass when nothing else would: every slot
 * stuck on a stalled database, and no new submits.
 *
 * <p>Threading: {@link #drain()} is a work-in-progress loop. Any thread may call it, only one runs
 * the loop at a time, a caller that finds it running leaves a "missed" mark and returns at once,
 * and the running thread loops again for it. Nothing here waits or locks. A pass that throws (a
 * timer refusing work because its scheduler was disposed, a runner throwing an Error) fails the
 * writes it had taken off the queue and still hands the loop back: otherwise {@code wip} would
 * stay above zero and every later write would wait forever.
 */
final class WriteStream {
    private static final Logger log = LoggerFactory.getLogger(WriteStream.class);

    private final int capacity;
    private final int maxBatchSize;
    private final int maxInFlight;
    private final long windowNanos;
    private final QueueDeadline deadline;
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
    private boolean windowOpen;
    /** Written only by the drain loop; read by window timers to tell whether they are stale. */
    private volatile long windowGeneration;
    /**
     * The writes the drain loop has taken off the queue and no batch owns yet, and the release of
     * the slot reserved for them: what a failing pass must settle. Touched only by the drain loop.
     */
    private List<PendingWrite<?>> taken;
    private Runnable takenSlot;
    /** A failing pass logs an error the first time, then only at debug: it may fail on every pass. */
    private final AtomicBoolean loopFailureLogged = new AtomicBoolean();

    /**
     * @param timer runs the window and the deadline sweep
     * @param clock monotonic nanoseconds ({@code System::nanoTime}) for the queue deadline; tests
     *              pass the timer's virtual time
     */
    WriteStream(int capacity, int maxBatchSize, int maxInFlight, Duration window, Duration maxQueueWait,
                Function<List<PendingWrite<?>>, Mono<Void>> runner, WriteMetrics metrics, Scheduler timer,
                LongSupplier clock) {
        this.capacity = capacity;
        this.maxBatchSize = maxBatchSize;
        this.maxInFlight = maxInFlight;
        this.windowNanos = window.toNanos();
        // The timer runs a drain pass, so it calls back only once a write is queued: after construction.
        this.deadline = new QueueDeadline(maxQueueWait, clock, metrics.rejectedExpired(), timer, this::drain);
        this.runner = runner;
        this.metrics = metrics;
        this.timer = timer;
        metrics.queueGauges(depth::get, capacity);
    }

    /**
     * Completes once the write's statement committed; fails at once when the queue is full, and
     * after {@code maxQueueWait} when no batch took it by then.
     */
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
            queue.offer(new PendingWrite<>(kind, write, caller, deadline.now()));
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
            try {
                cutBatches();
            } catch (Throwable e) {
                passFailed(e);
            }
            if (closed && depth.get() == 0 && inFlight.get() == 0) {
                drained.tryEmitEmpty();
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    /**
     * Settles what the failed pass held. Writes still queued stay queued: the next pass (a submit, a
     * finished batch) sends or expires them.
     */
    private void passFailed(Throwable e) {
        List<PendingWrite<?>> lost = taken;
        Runnable slot = takenSlot;
        taken = null;
        takenSlot = null;
        int failed = lost == null ? 0 : lost.size();
        if (loopFailureLogged.compareAndSet(false, true)) {
            log.error("the write queue's drain pass failed; failing the {} writes it had taken", failed, e);
        } else {
            log.debug("the write queue's drain pass failed again; failing the {} writes it had taken", failed, e);
        }
        if (lost != null) {
            StoreUnavailableException failure = new StoreUnavailableException("the write queue failed: " + e, e);
            lost.forEach(w -> w.failed(failure));
        }
        if (slot != null) {
            slot.run(); // runs drain(): we hold the loop, so it only marks another pass
        }
    }

    private void cutBatches() {
        expireOverdue();
        while (inFlight.get() < maxInFlight) {
            int queued = depth.get();
            if (queued == 0) {
                break;
            }
            boolean busy = inFlight.get() > 0;
            if (busy && queued < maxBatchSize && !windowDue && !closed && windowNanos > 0) {
                openWindow();
                break;
            }
            List<PendingWrite<?>> batch = poll();
            if (batch.isEmpty()) {
                taken = null;
                break; // only reservations: their submitters drain again once they enqueued
            }
            closeWindow();
            launch(batch);
        }
        deadline.watch(queue.peek());
    }

    /**
     * Fails the overdue writes at the head. The queue is in submit order, so the head is the oldest
     * write give or take a preempted submitter; one behind a younger head is caught when cut (see
     * {@link #poll()}) or by the next pass.
     */
    private void expireOverdue() {
        long now = deadline.now();
        PendingWrite<?> head;
        // Only the drain loop takes from the queue, so the head peeked is the head polled.
        while ((head = queue.peek()) != null && deadline.isOverdue(head, now)) {
            queue.poll();
            depth.decrementAndGet();
            deadline.expire(head);
        }
    }

    private List<PendingWrite<?>> poll() {
        List<PendingWrite<?>> batch = new ArrayList<>(Math.min(maxBatchSize, Math.max(0, depth.get())));
        taken = batch;
        List<PendingWrite<?>> overdue = List.of();
        try {
            long now = deadline.now();
            PendingWrite<?> next;
            while (batch.size() < maxBatchSize && (next = queue.poll()) != null) {
                if (!deadline.isOverdue(next, now)) {
                    batch.add(next);
                } else if (overdue.isEmpty()) {
                    overdue = new ArrayList<>(List.of(next));
                } else {
                    overdue.add(next);
                }
            }
        } finally {
            depth.addAndGet(-(batch.size() + overdue.size()));
            // Their callers hear of it only now, so any code they run sees the queue without them.
            overdue.forEach(deadline::expire);
        }
        return batch;
    }

    private void openWindow() {
        if (!windowOpen) {
            long generation = windowGeneration;
            timer.schedule(() -> {
                if (generation == windowGeneration) {
                    windowDue = true;
                }
                drain();
            }, windowNanos, TimeUnit.NANOSECONDS);
            // Only once set: a refused timer must not leave a window open that nothing will close.
            windowOpen = true;
        }
    }

    /**
     * The timer is left to fire rather than cancelled: cancelling takes the timer queue's lock,
     * often from an event loop. Moving to a new generation makes the old timer's firing a no-op,
     * so it does not cut the next window's batch early.
     */
    private void closeWindow() {
        windowDue = false;
        if (windowOpen) {
            windowOpen = false;
            windowGeneration++;
        }
    }

    /** Hands {@code batch} (already in {@link #taken}) to the runner, in a slot of its own. */
    private void launch(List<PendingWrite<?>> batch) {
        inFlight.incrementAndGet();
        // Once only: both the batch's end and a failing pass (see passFailed) may free it.
        AtomicBoolean freed = new AtomicBoolean();
        Runnable finished = () -> {
            if (freed.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
                drain();
            }
        };
        takenSlot = finished;
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
            finished.run();
        }, finished);
        taken = null;
        takenSlot = null;
    }
}
