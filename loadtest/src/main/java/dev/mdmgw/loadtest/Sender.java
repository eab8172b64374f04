package dev.mdmgw.loadtest;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/** PUTs prepared check-ins to {@code /mdm/checkin} over Reactor Netty; owns its event loops and pool. */
public final class Sender implements AutoCloseable {
    static final String CHECKIN_TYPE = "application/x-apple-aspen-mdm-checkin";

    private static final Duration MAX_IDLE = Duration.ofSeconds(30);
    private static final Duration EVICTION_INTERVAL = Duration.ofSeconds(5);

    private final LoopResources loops;
    private final ConnectionProvider pool;
    private final HttpClient http;
    // Made once: each of put() and uri() copies the client's whole configuration, and a URI
    // string would be matched against Reactor Netty's URL pattern per request. send() copies it
    // again per request, so this one is never changed and may be shared.
    private final HttpClient.RequestSender checkin;

    public Sender(String target, int maxConnections) {
        this(target, maxConnections, MAX_IDLE, EVICTION_INTERVAL);
    }

    Sender(String target, int maxConnections, Duration maxIdle, Duration evictionInterval) {
        // Own resources (not Reactor Netty's globals), so an in-process run leaves nothing behind.
        this.loops = LoopResources.create("loadtest", Runtime.getRuntime().availableProcessors(), true);
        // Requests beyond the connections wait for one; in the open model that wait is part of the latency.
        // No pending-acquire timeout: with one, the pool schedules a timer on Reactor's parallel
        // scheduler for every acquire, which cost the generator a fifth of its CPU. A request
        // waiting for a connection is bounded by the models instead (closed: one per worker; open:
        // --max-in-flight) and its wait is measured as latency. Most recently used first: the open
        // model needs far fewer connections than its 1024 at most, and spreading its requests over
        // all of them (FIFO) kept them all cold: ~5 µs more of the generator's CPU per request at
        // 17.5k/s (BENCHMARKS.md).
        // Idle connections are closed by the tester well before the gateway's idle timeout (65 s),
        // as a well-behaved client does: otherwise the connections a burst opened all reached that
        // timeout together, the gateway closed hundreds at once, requests raced the closes
        // (transport errors) and p99 at 50% of the maximum went from 8 to 156 ms for two seconds
        // (BENCHMARKS.md, 2026-11-25).
        this.pool = ConnectionProvider.builder("loadtest").maxConnections(maxConnections)
                .pendingAcquireMaxCount(-1).pendingAcquireTimeout(Duration.ZERO).lifo()
                .maxIdleTime(maxIdle).evictInBackground(evictionInterval).build();
        this.http = HttpClient.create(pool).runOn(loops).baseUrl(target.replaceAll("/+$", ""))
                .responseTimeout(Duration.ofSeconds(30));
        this.checkin = http.put().uri(URI.create(target.replaceAll("/+$", "") + "/mdm/checkin"));
    }

    public HttpClient http() {
        return http;
    }

    /** Completes with the status code, or -1 on a transport error (never exceptionally). */
    public CompletableFuture<Integer> send(CheckinRequest req) {
        return checkin.send((out, outbound) -> {
                    out.header(HttpHeaderNames.CONTENT_TYPE, CHECKIN_TYPE);
                    out.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(req.body().length));
                    if (req.headerName() != null) {
                        out.header(req.headerName(), req.headerValue());
                    }
                    return outbound.sendObject(Unpooled.wrappedBuffer(req.body()));
                })
                // Reads (and so frees) the answer's body; its text does not matter here.
                .responseSingle((resp, body) -> body.asString().defaultIfEmpty("").map(s -> resp.status().code()))
                .onErrorResume(e -> Mono.just(-1))
                .toFuture();
    }

    @Override
    public void close() {
        pool.disposeLater().block(Duration.ofSeconds(5));
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
    }
}
