package dev.mdmgw.gateway.http;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The bounded pool where plist decoding runs, off the event loop: one thread per core and a
 * bounded queue. When the queue is full the task is rejected (RejectedExecutionException), which
 * the check-in route answers with 503 + Retry-After instead of queueing without bound.
 */
public final class DecodeScheduler {
    private DecodeScheduler() {
    }

    public static Scheduler create(int threads, int queueCapacity) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "mdmgw-decode-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), factory, new ThreadPoolExecutor.AbortPolicy());
        return Schedulers.fromExecutorService(executor, "mdmgw-decode");
    }
}
