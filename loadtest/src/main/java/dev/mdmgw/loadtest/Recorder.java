package dev.mdmgw.loadtest;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Latencies (nanoseconds, HdrHistogram, one recorder per message type) and answer counts of one
 * phase. Recording is wait-free, so it runs on Netty's event loops; reading happens elsewhere.
 */
public final class Recorder {
    /** Status keys besides HTTP codes. */
    public static final String TRANSPORT_ERROR = "transport-error";
    public static final String OVERFLOW = "overflow";
    public static final String DEVICE_BUSY = "device-busy";
    /** The usual answer, without formatting its number per request (2% of the generator's CPU). */
    private static final String OK = "200";

    // A fixed range (1 µs to 10 min, 3 digits), not auto-resizing: resizing takes a lock, and
    // recording runs on Netty's event loops, which must never wait.
    private static final long LOWEST = 1_000;
    private static final long HIGHEST = 600_000_000_000L;

    private final Map<MessageType, org.HdrHistogram.Recorder> latencies = new EnumMap<>(MessageType.class);
    private final Map<MessageType, Map<String, LongAdder>> statuses = new EnumMap<>(MessageType.class);
    // All types together, read each second by the progress line.
    private final org.HdrHistogram.Recorder all = newRecorder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder errors = new LongAdder();

    public Recorder() {
        for (MessageType t : MessageType.values()) {
            latencies.put(t, newRecorder());
            statuses.put(t, new ConcurrentHashMap<>());
        }
    }

    private static org.HdrHistogram.Recorder newRecorder() {
        return new org.HdrHistogram.Recorder(LOWEST, HIGHEST, 3);
    }

    public void sent() {
        sent.increment();
    }

    /** An answer (status, or -1 for a transport error) to a request meant to start {@code latencyNanos} ago. */
    public void answered(MessageType type, int status, long latencyNanos) {
        long v = Math.min(HIGHEST, Math.max(LOWEST, latencyNanos));
        latencies.get(type).recordValue(v);
        all.recordValue(v);
        if (status >= 200 && status < 300) {
            acknowledged.increment();
        } else {
            errors.increment();
        }
        count(type, status < 0 ? TRANSPORT_ERROR : status == 200 ? OK : Integer.toString(status));
    }

    /** A request that was never sent ({@link #OVERFLOW}, {@link #DEVICE_BUSY}): an error, not a latency. */
    public void notSent(MessageType type, String why) {
        errors.increment();
        count(type, why);
    }

    private void count(MessageType type, String key) {
        statuses.get(type).computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    public long sentCount() {
        return sent.sum();
    }

    public long acknowledgedCount() {
        return acknowledged.sum();
    }

    public long errorCount() {
        return errors.sum();
    }

    /** Latencies of all types since the previous call (the progress line's last second). */
    public Histogram interval() {
        return all.getIntervalHistogram();
    }

    /** The whole phase's latencies of {@code type}; call once, at the end. */
    public Histogram histogram(MessageType type) {
        return latencies.get(type).getIntervalHistogram();
    }

    public Map<String, Long> statuses(MessageType type) {
        Map<String, Long> out = new TreeMap<>();
        statuses.get(type).forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
