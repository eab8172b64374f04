package dev.mdmgw.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenModelTest {
    private static final double RATE = 200; // one every 5 ms
    private static final long INTERVAL = (long) (1e9 / RATE);
    private static final long SLOW = 10 * INTERVAL; // every answer takes 10 arrivals' time

    private final ScheduledExecutorService server = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    /** A fake server answering after {@link #SLOW}; records when each request was due, sent and answered. */
    private final class SlowLoad implements Load {
        final List<long[]> calls = new CopyOnWriteArrayList<>(); // intended, sent, answered
        final AtomicInteger overflows = new AtomicInteger();

        @Override
        public CompletableFuture<?> fire(long intended) {
            long[] call = {intended, System.nanoTime(), 0};
            calls.add(call);
            CompletableFuture<Void> done = new CompletableFuture<>();
            server.schedule(() -> {
                call[2] = System.nanoTime();
                done.complete(null);
            }, SLOW, TimeUnit.NANOSECONDS);
            return done;
        }

        @Override
        public void overflow(long intended) {
            overflows.incrementAndGet();
        }
    }

    @Test
    void slowAnswersDoNotDelayTheSchedule() {
        SlowLoad load = new SlowLoad();
        long start = System.nanoTime();
        new OpenModel(RATE, 1000).run(load, TimeUnit.SECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(2));
        long elapsed = System.nanoTime() - start;

        // 200 arrivals in one second, each due exactly i intervals after the first.
        assertThat(load.calls).hasSize(200);
        long first = load.calls.get(0)[0];
        for (int i = 0; i < load.calls.size(); i++) {
            long[] c = load.calls.get(i);
            assertThat(c[0] - first).isBetween((long) (i * 1e9 / RATE) - 1, (long) (i * 1e9 / RATE) + 1);
        }
        // Sent on time although ~10 requests are always waiting for an answer (a closed loop
        // would have sent 10x fewer): the median send is within a few ms of its due time.
        long[] lateness = load.calls.stream().mapToLong(c -> c[1] - c[0]).sorted().toArray();
        assertThat(lateness[lateness.length / 2]).isLessThan(TimeUnit.MILLISECONDS.toNanos(3));
        assertThat(load.calls.get(199)[1] - first).isBetween(190 * INTERVAL, 210 * INTERVAL);
        // The run waited for the last answers, and none overflowed.
        assertThat(load.calls).allSatisfy(c -> assertThat(c[2]).isPositive());
        assertThat(load.overflows).hasValue(0);
        assertThat(elapsed).isLessThan(TimeUnit.MILLISECONDS.toNanos(1500));
    }

    @Test
    void latencyFromTheIntendedTimeIncludesTheWaitAndOverflowIsCounted() {
        SlowLoad load = new SlowLoad();
        // At most 3 in flight while 10 would be needed: most arrivals overflow, none is delayed.
        new OpenModel(RATE, 3).run(load, TimeUnit.MILLISECONDS.toNanos(500), TimeUnit.SECONDS.toNanos(2));

        assertThat(load.calls.size() + load.overflows.get()).isEqualTo(100);
        assertThat(load.overflows.get()).isGreaterThan(50);
        // Every answered request's latency, counted from when it was due, includes the full service time.
        assertThat(load.calls).allSatisfy(c -> assertThat(c[2] - c[0]).isGreaterThanOrEqualTo(SLOW));
    }

    @Test
    void aWarmupAndAMeasuredPhaseShareOneScheduleWithNoGap() {
        SlowLoad warm = new SlowLoad();
        SlowLoad measured = new SlowLoad();
        PhasedLoad load = new PhasedLoad(warm, measured);
        // 300 ms of warm-up then 500 ms measured, at one arrival every 5 ms.
        server.schedule(load::switchToMeasured, 300, TimeUnit.MILLISECONDS);
        new OpenModel(RATE, 1000).run(load, TimeUnit.MILLISECONDS.toNanos(800), TimeUnit.SECONDS.toNanos(2));

        assertThat(warm.calls.size() + measured.calls.size()).isEqualTo(160);
        assertThat(warm.calls.size()).isBetween(55, 65);
        // The first measured arrival is due one interval after the last warm-up one: no drain, no restart.
        long lastWarm = warm.calls.get(warm.calls.size() - 1)[0];
        long firstMeasured = measured.calls.get(0)[0];
        assertThat(firstMeasured - lastWarm).isBetween(INTERVAL - 1, INTERVAL + 1);
        assertThat(warm.calls).allSatisfy(c -> assertThat(c[2]).isPositive());
    }

    @Test
    void aRampRisesLinearlyToTheRateAndThenKeepsIt() {
        // 1000/s, ramped over 2 s: 1000 arrivals during the ramp (half the full rate's 2000), a
        // quarter of them in its first second, then one every millisecond.
        OpenModel model = new OpenModel(1000, 10, TimeUnit.SECONDS.toNanos(2));
        long second = TimeUnit.SECONDS.toNanos(1);
        assertThat(model.dueOffset(0)).isZero();
        assertThat(model.dueOffset(250)).isBetween(second - 1000, second + 1000);
        assertThat(model.dueOffset(1000)).isBetween(2 * second - 1000, 2 * second + 1000);
        assertThat(model.dueOffset(1001) - model.dueOffset(1000)).isBetween(999_000L, 1_001_000L);
        assertThat(model.dueOffset(3000)).isBetween(4 * second - 1000, 4 * second + 1000);
        for (long i = 1; i < 3000; i++) {
            assertThat(model.dueOffset(i)).isGreaterThanOrEqualTo(model.dueOffset(i - 1));
        }
        // Without a ramp: one every 1/rate from the start.
        assertThat(new OpenModel(1000, 10).dueOffset(250)).isEqualTo(250 * 1_000_000L);
    }

    @Test
    void aRampedRunSendsFewerEarlyAndTheFullRateAfter() {
        SlowLoad load = new SlowLoad();
        // 200/s ramped over 400 ms, for 1 s: 40 arrivals in the ramp, 120 after it.
        new OpenModel(RATE, 1000, TimeUnit.MILLISECONDS.toNanos(400))
                .run(load, TimeUnit.SECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(2));

        assertThat(load.calls).hasSize(160);
        long first = load.calls.get(0)[0];
        long inFirst200ms = load.calls.stream().filter(c -> c[0] - first < TimeUnit.MILLISECONDS.toNanos(200)).count();
        assertThat(inFirst200ms).isBetween(9L, 11L); // a quarter of the ramp's 40, against 40 at full rate
        assertThat(load.calls).allSatisfy(c -> assertThat(c[2]).isPositive());
    }
}
