package dev.mdmgw.gateway.http;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The bounded pool where plist decoding runs, off the event loop: one thread per core and at most
 * {@code maxQueued} tasks waiting. Past that the task is rejected (RejectedExecutionException),
 * which the check-in route answers with 503 + Retry-After instead of queueing without bound.
 *
 * <p>Handing a task over must not block the event loop, so the bound is a counter and the queue
 * is lock-free; a {@code ArrayBlockingQueue} would take a lock on every offer.
 */
public final class DecodeScheduler implements Executor, AutoCloseable {
    private final ThreadPoolExecutor pool;
    private final AtomicInteger pending = new AtomicInteger();
    private final int maxQueued;
    private final Scheduler scheduler;

    public DecodeScheduler(int threads, int maxQueued) {
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedTransferQueue<>(), r -> {
            Thread t = new Thread(r, "mdmgw-decode-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // Starting the workers now keeps execute() on its lock-free path (no worker creation).
        pool.prestartAllCoreThreads();
        this.maxQueued = maxQueued;
        this.scheduler = Schedulers.fromExecutor(this);
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public void execute(Runnable task) {
        if (pending.incrementAndGet() > maxQueued) {
            pending.decrementAndGet();
            throw new RejectedExecutionException("decode queue full (" + maxQueued + ")");
        }
        try {
            pool.execute(() -> {
                try {
                    task.run();
                } finally {
                    pending.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            pending.decrementAndGet();
            throw e;
        }
    }

    @Override
    public void close() {
        scheduler.dispose();
        pool.shutdown();
    }
}
