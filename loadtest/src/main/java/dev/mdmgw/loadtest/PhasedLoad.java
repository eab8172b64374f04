package dev.mdmgw.loadtest;

import java.util.concurrent.CompletableFuture;

/**
 * One open-model schedule across the warm-up and the measured phase: arrivals due before the
 * switch go to {@code warmup}, the rest to {@code measured}, with no gap between them. Two
 * separate schedules drained the fleet in between and restarted the generator's scheduling loop
 * cold, which showed as seconds of high p99 at the start of every measured phase.
 */
final class PhasedLoad implements Load {
    private final Load warmup;
    private final Load measured;
    private final long warmupNanos;
    private final Runnable onSwitch;
    private long switchAt;
    private boolean started;
    private boolean switched;

    /** {@code onSwitch} runs once, on the scheduling thread, before the first measured arrival. */
    PhasedLoad(Load warmup, Load measured, long warmupNanos, Runnable onSwitch) {
        this.warmup = warmup;
        this.measured = measured;
        this.warmupNanos = warmupNanos;
        this.onSwitch = onSwitch;
    }

    @Override
    public CompletableFuture<?> fire(long intendedNanos) {
        return target(intendedNanos).fire(intendedNanos);
    }

    @Override
    public void overflow(long intendedNanos) {
        target(intendedNanos).overflow(intendedNanos);
    }

    // Only the open model's single scheduling thread calls in: no synchronisation needed.
    private Load target(long intendedNanos) {
        if (!started) {
            started = true;
            switchAt = intendedNanos + warmupNanos;
        }
        if (intendedNanos - switchAt < 0) {
            return warmup;
        }
        if (!switched) {
            switched = true;
            onSwitch.run();
        }
        return measured;
    }
}
