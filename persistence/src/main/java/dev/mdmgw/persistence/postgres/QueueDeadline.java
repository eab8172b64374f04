package dev.mdmgw.persistence.postgres;

import dev.mdmgw.persistence.StoreOverloadedException;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import reactor.core.scheduler.Scheduler;

/**
 * How long a write may wait in the queue. When the database stalls, batches fail only after the
 * acquire or statement timeout, so a deep queue drains slowly: without a deadline the last write
 * would get its 503 minutes later, long after its device gave up, and would still take database
 * time once the database recovers. A write past its deadline is failed instead of sent.
 *
 * <p>Only the thread running the write stream's drain loop calls {@link #watch}.
 */
final class QueueDeadline {
    private final long maxWaitNanos;
    private final LongSupplier clock;
    private final Counter expired;
    private final String message;
    private final Scheduler timer;
    private final Runnable drain;

    /** Set by the timer when it fires, so the drain loop knows it may set a new one. */
    private volatile boolean fired;
    /** A timer is set and has not been seen firing. Touched only by the drain loop. */
    private boolean armed;

    /**
     * @param clock monotonic nanoseconds ({@code System::nanoTime}); a wall clock would expire
     *              everything, or nothing, when it is set
     * @param drain runs a drain pass of the stream, which fails the overdue writes
     */
    QueueDeadline(Duration maxWait, LongSupplier clock, Counter expired, Scheduler timer, Runnable drain) {
        this.maxWaitNanos = maxWait.toNanos();
        this.clock = clock;
        this.expired = expired;
        this.message = "waited longer than " + maxWait.toMillis() + " ms in the write queue";
        this.timer = timer;
        this.drain = drain;
    }

    long now() {
        return clock.getAsLong();
    }

    boolean isOverdue(PendingWrite<?> write, long now) {
        return now - write.enqueuedAt > maxWaitNanos;
    }

    /** One exception per write: a shared one would collect every subscriber's suppressed traces. */
    void expire(PendingWrite<?> write) {
        expired.increment();
        write.failed(new StoreOverloadedException(message));
    }

    /**
     * Keeps one timer set for the deadline of {@code head} (the queue's oldest write, or null),
     * so an overdue write is failed even when no submit or finished batch runs a pass. While the
     * queue moves, the head has gone into a batch by the time the timer fires and the pass it runs
     * just sets the next one: about one timer per {@code maxWait}, not one per write. A timer left
     * set on an emptied queue only runs one idle pass.
     */
    void watch(PendingWrite<?> head) {
        if (fired) {
            fired = false;
            armed = false;
        }
        if (head != null && !armed) {
            // +1: the timer must find the head overdue (strictly longer than maxWait), not just due.
            long delay = Math.max(1, head.enqueuedAt + maxWaitNanos - now() + 1);
            timer.schedule(() -> {
                fired = true;
                drain.run();
            }, delay, TimeUnit.NANOSECONDS);
            // Only once set: a refused timer (a disposed scheduler throws) is tried again next pass.
            armed = true;
        }
    }
}
