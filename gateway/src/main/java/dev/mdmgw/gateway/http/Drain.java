package dev.mdmgw.gateway.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Counts requests being answered, so a shutdown can wait for them. Once draining, every answer
 * carries {@code Connection: close}: a client on a kept-alive connection makes at most one more
 * request here and then reconnects, through the load balancer, to a gateway that stays up.
 */
public final class Drain {
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    Publisher<Void> track(HttpServerResponse res, Supplier<Publisher<Void>> handler) {
        inFlight.incrementAndGet();
        if (draining) {
            res.keepAlive(false);
        }
        return Mono.from(handler.get()).doFinally(s -> inFlight.decrementAndGet());
    }

    void start() {
        draining = true;
    }

    public boolean isDraining() {
        return draining;
    }

    /** Waits (on the shutdown thread, never an event loop) until no request is in flight. */
    boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
