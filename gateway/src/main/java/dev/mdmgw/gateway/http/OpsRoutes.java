package dev.mdmgw.gateway.http;

import dev.mdmgw.gateway.metrics.GatewayMetrics;
import dev.mdmgw.persistence.CheckinStore;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@code /healthz} (the process is alive), {@code /readyz} (the database answers and the write
 * queue has room: route traffic here) and {@code /metrics} (Prometheus text).
 */
public final class OpsRoutes {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final CheckinStore store;
    private final GatewayMetrics metrics;
    private final Drain drain;

    public OpsRoutes(CheckinStore store, GatewayMetrics metrics, Drain drain) {
        this.store = store;
        this.metrics = metrics;
        this.drain = drain;
    }

    public boolean serves(String path) {
        return path.equals("/healthz") || path.equals("/readyz") || path.equals("/metrics");
    }

    public Mono<Void> handle(String path, HttpServerResponse res) {
        switch (path) {
            case "/healthz":
                return Responses.text(res, 200, "ok\n");
            case "/readyz":
                return readiness().flatMap(reason -> reason.isEmpty()
                        ? Responses.text(res, 200, "ready\n")
                        : Responses.text(res, 503, reason + "\n"));
            case "/metrics":
                // A scrape walks every meter: CPU work that stays off the event loop.
                return Mono.fromCallable(metrics::scrape)
                        .subscribeOn(Schedulers.boundedElastic())
                        .flatMap(text -> Responses.bytes(res, 200, PROMETHEUS_TEXT,
                                text.getBytes(StandardCharsets.UTF_8)));
            default:
                return Responses.text(res, 404, "not found\n");
        }
    }

    /** Empty string when ready, else why not. */
    private Mono<String> readiness() {
        if (drain.isDraining()) {
            return Mono.just("draining");
        }
        if (store.queueDepth() >= store.queueCapacity()) {
            return Mono.just("write queue full");
        }
        return store.ping().map(up -> up ? "" : "database not answering");
    }
}
