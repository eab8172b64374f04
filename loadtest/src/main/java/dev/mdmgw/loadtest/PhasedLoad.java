package dev.mdmgw.loadtest;

import java.util.concurrent.CompletableFuture;

/**
 * One open-model schedule across the warm-up and the measured phase: arrivals go to
 * {@code warmup} until {@link #switchToMeasured} is called, then to {@code measured}, with no gap
 * between them. Two separate schedules drained the fleet in between and restarted the
 * generator's scheduling loop cold, which showed as seconds of high p99 at the start of every
 * measured phase.
 *
 * <p>The switch comes from another thread and is only a change of target: a branch the
 * scheduling loop never took during the warm-up would, when first taken, make the JIT throw away
 * the loop's compiled code (an uncommon trap) and run it interpreted at full rate for seconds.
 */
final class PhasedLoad implements Load {
    private final Load measured;
    private volatile Load current;

    PhasedLoad(Load warmup, Load measured) {
        this.measured = measured;
        this.current = warmup;
    }

    void switchToMeasured() {
        current = measured;
    }

    @Override
    public CompletableFuture<?> fire(long intendedNanos) {
        return current.fire(intendedNanos);
    }

    @Override
    public void overflow(long intendedNanos) {
        current.overflow(intendedNanos);
    }
}
