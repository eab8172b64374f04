package dev.mdmgw.loadtest;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * C workers, each sending, waiting for the answer, and sending again: finds the most the server
 * sustains at that concurrency. Latency here is send-to-answer (the generator waits with the server).
 */
public final class ClosedModel {
    private final int workers;

    public ClosedModel(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("--connections must be positive");
        }
        this.workers = workers;
    }

    /** Runs for {@code durationNanos} (or until a finite load is used up), then waits up to {@code drainNanos}. */
    public void run(Load load, long durationNanos, long drainNanos) throws InterruptedException {
        long deadline = System.nanoTime() + durationNanos;
        CountDownLatch finished = new CountDownLatch(workers);
        for (int w = 0; w < workers; w++) {
            next(load, deadline, finished);
        }
        finished.await(durationNanos + drainNanos, TimeUnit.NANOSECONDS);
    }

    // Runs on the answering event loop: loops while units complete at once (nothing sent), so the stack stays flat.
    private static void next(Load load, long deadline, CountDownLatch finished) {
        while (true) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                finished.countDown();
                return;
            }
            var done = load.fire(now);
            if (done == null) {
                finished.countDown();
                return;
            }
            if (!done.isDone()) {
                done.whenComplete((r, e) -> next(load, deadline, finished));
                return;
            }
        }
    }
}
