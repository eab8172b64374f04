package dev.mdmgw.persistence.write;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out write versions: microseconds since the epoch, strictly increasing within this
 * process. A version is taken when a request is received, so between gateway instances the
 * order is the order of receipt as far as their clocks (NTP) agree; within one instance it is
 * exact even when the wall clock steps back.
 */
public final class WriteClock {
    private final Clock clock;
    private final AtomicLong last = new AtomicLong();

    public WriteClock() {
        this(Clock.systemUTC());
    }

    public WriteClock(Clock clock) {
        this.clock = clock;
    }

    public long next() {
        Instant now = clock.instant();
        long micros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000L);
        return last.updateAndGet(prev -> Math.max(prev + 1, micros));
    }
}
