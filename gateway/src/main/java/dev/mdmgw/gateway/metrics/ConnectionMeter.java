package dev.mdmgw.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code mdmgw_http_connections{port}} (open now) and {@code mdmgw_http_connections_opened_total{port}}:
 * a fleet that reconnects for every check-in, or a proxy that holds thousands of idle connections,
 * shows here. Per connection, not per request.
 */
public final class ConnectionMeter {
    private final AtomicInteger open = new AtomicInteger();
    private final Counter opened;

    ConnectionMeter(MeterRegistry registry, String port) {
        Gauge.builder("mdmgw.http.connections", open, AtomicInteger::get).tag("port", port)
                .description("HTTP connections open").register(registry);
        opened = Counter.builder("mdmgw.http.connections.opened").tag("port", port)
                .description("HTTP connections accepted").register(registry);
    }

    public void opened() {
        open.incrementAndGet();
        opened.increment();
    }

    public void closed() {
        open.decrementAndGet();
    }
}
