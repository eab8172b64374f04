package dev.mdmgw.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public GatewayMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
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
        registry.counter("mdmgw.checkin.shed", "reason", reason).increment();
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
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(10))
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
