package dev.mdmgw.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's Prometheus registry and its own request meters ({@code mdmgw_*}). Request timers
 * are cached per tag set because the builder lookup is measurable at tens of thousands of
 * requests per second.
 */
public final class GatewayMetrics implements AutoCloseable {
    /**
     * Latency buckets (seconds): fixed, so p99 over an objective can be read and alerted on across
     * pods with histogram_quantile, at 14 series per tag set instead of a percentile histogram's ~70.
     */
    private static final Duration[] SLO_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30)
    };

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> shed = new ConcurrentHashMap<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public GatewayMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
        // At 0 from the start, so a rate() of them (and the shedding alert) works before the first 503.
        for (String reason : new String[] {"store_overloaded", "store_unavailable", "decode_queue_full", "body_memory",
            "internal"}) {
            shedCounter(reason);
        }
    }

    /**
     * {@code netty_eventexecutor_tasks_pending}: work queued on each event loop. A loop that falls
     * behind shows here before latency does. Call once the servers are bound, off the event loops
     * (naming a loop starts its thread).
     */
    public void eventLoops(Iterable<EventExecutor> loops) {
        new NettyEventExecutorMetrics(loops).bindTo(registry);
    }

    /** Counts the connections of one listening port ({@code device} or {@code mgmt}). */
    public ConnectionMeter connections(String port) {
        return new ConnectionMeter(registry, port);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }

    /** One answered check-in: its MessageType ("unknown" when undecodable) and the status sent. */
    public void checkin(String messageType, int status, long nanos) {
        timer("mdmgw.checkin.requests", "message_type", messageType, status).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A check-in answered 503, by why: store_overloaded, store_unavailable, decode_queue_full, internal. */
    public void shed(String reason) {
        Counter c = shed.get(reason);
        (c != null ? c : shedCounter(reason)).increment();
    }

    private Counter shedCounter(String reason) {
        return shed.computeIfAbsent(reason, r -> Counter.builder("mdmgw.checkin.shed").tag("reason", r)
                .description("Check-ins answered 503 + Retry-After, by cause").register(registry));
    }

    /** A device identity refused, by reason (missing, bad_signature, untrusted, expired, not_bound, bound_elsewhere). */
    public void identityFailure(String reason) {
        identityFailures(reason).increment();
    }

    private Counter identityFailures(String reason) {
        return Counter.builder("mdmgw.identity.failures").tag("reason", reason)
                .description("Device identities refused (403, or a refused TLS handshake), by reason")
                .register(registry);
    }

    /**
     * Makes every identity failure reason visible at 0 from the start, so alerts on their rate
     * work before the first failure, and publishes the identity mode as an info metric (an
     * operator sees at a glance a gateway left in {@code none}).
     */
    public void identityMode(String mode, Collection<String> reasons) {
        for (String reason : reasons) {
            identityFailures(reason);
        }
        Gauge.builder("mdmgw.device.auth.info", () -> 1).tag("mode", mode)
                .description("The device identity mode (MDMGW_DEVICE_AUTH); none means unverified").register(registry);
    }

    /** One answered admin API call, tagged with its route template. */
    public void admin(String route, int status, long nanos) {
        timer("mdmgw.admin.requests", "route", route, status).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(String name, String tagKey, String tagValue, int status) {
        String key = name + '\0' + tagValue + '\0' + status;
        Timer t = timers.get(key);
        if (t == null) {
            t = timers.computeIfAbsent(key, k -> Timer.builder(name)
                    .tag(tagKey, tagValue)
                    .tag("status", Integer.toString(status))
                    .serviceLevelObjectives(SLO_BUCKETS)
                    .register(registry));
        }
        return t;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
