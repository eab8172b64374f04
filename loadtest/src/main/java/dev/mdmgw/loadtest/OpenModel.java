package dev.mdmgw.loadtest;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A constant arrival rate, as a fleet behaves: request i is due at start + i / rate, whatever
 * happened to the ones before it. Latency is measured by the load from that intended time, so a
 * stalled server shows up in the percentiles instead of silently slowing the generator
 * (coordinated omission). In flight is bounded: a due request beyond the bound is counted as an
 * overflow error, never dropped silently and never delayed.
 */
public final class OpenModel {
    /** The shortest sleep between bursts: below ~1 ms the sleep itself costs more than it saves. */
    private static final long TICK_NANOS = 1_000_000;

    private final double rate;
    private final int maxInFlight;
    private final long rampNanos;
    /** Arrivals due during the ramp. */
    private final double rampArrivals;
    private final AtomicInteger inFlight = new AtomicInteger();

    public OpenModel(double rate, int maxInFlight) {
        this(rate, maxInFlight, 0);
    }

    /**
     * @param rampNanos the rate rises linearly from 0 to {@code rate} over this time, then stays.
     *                  A warm-up at the full rate from its first millisecond piled up thousands of
     *                  requests behind the generator's own cold JIT (p99 1-2 s and tens of
     *                  thousands of overflows for 8-11 s) and opened a thousand connections that
     *                  then sat idle and were all closed at once later (BENCHMARKS.md, 2026-11-25).
     */
    public OpenModel(double rate, int maxInFlight, long rampNanos) {
        if (rate <= 0 || maxInFlight < 1 || rampNanos < 0) {
            throw new IllegalArgumentException("rate and in-flight bound must be positive, the ramp not negative");
        }
        this.rate = rate;
        this.maxInFlight = maxInFlight;
        this.rampNanos = rampNanos;
        this.rampArrivals = rate * rampNanos / 1e9 / 2;
    }

    /**
     * When arrival {@code i} is due, in nanoseconds from the start: during the ramp, i arrivals
     * are due by t when rate * t^2 / (2 * ramp) = i; after it, one every 1/rate.
     */
    long dueOffset(long i) {
        if (i < rampArrivals) {
            return (long) Math.sqrt(2.0 * rampNanos * i * 1e9 / rate);
        }
        return (long) (i * 1e9 / rate) + rampNanos / 2;
    }

    /**
     * Runs the schedule for {@code durationNanos} (or until a finite load is used up), on the
     * calling thread, then waits up to {@code drainNanos} for what is still in flight.
     */
    public void run(Load load, long durationNanos, long drainNanos) {
        long start = System.nanoTime();
        long i = 0;
        while (true) {
            long now = System.nanoTime();
            long intended;
            // Everything due by now goes out together: at high rates a burst a tick wakes the event
            // loops once per burst instead of once per request (a syscall and a context switch
            // each; the open model cost the generator ~1.7x the closed one's CPU per request, ~1.5x
            // with bursts). Each request keeps its own intended time, so the latency still counts
            // from it.
            while ((intended = start + dueOffset(i)) - now <= 0 && intended - start < durationNanos) {
                i++;
                if (inFlight.get() >= maxInFlight) {
                    load.overflow(intended);
                    continue;
                }
                inFlight.incrementAndGet();
                var done = load.fire(intended);
                if (done == null) {
                    inFlight.decrementAndGet();
                    drain(drainNanos);
                    return;
                }
                done.whenComplete((r, e) -> inFlight.decrementAndGet());
            }
            if (intended - start >= durationNanos) {
                break;
            }
            LockSupport.parkNanos(Math.max(intended - System.nanoTime(), TICK_NANOS));
        }
        drain(drainNanos);
    }

    private void drain(long drainNanos) {
        long deadline = System.nanoTime() + drainNanos;
        while (inFlight.get() > 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(1_000_000);
        }
    }

    public int inFlight() {
        return inFlight.get();
    }
}
