package dev.mdmgw.persistence.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mdmgw.persistence.StoreOverloadedException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The batching policy alone: a fake runner instead of PostgreSQL, virtual time for the window. */
class WriteStreamTest {
    private static final Duration LONG = Duration.ofHours(1);

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final List<Launched> launched = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    record Launched(List<PendingWrite<?>> batch, Sinks.Empty<Void> done) {
        List<Object> writes() {
            return batch.stream().<Object>map(w -> w.write).toList();
        }

        void commit() {
            batch.forEach(PendingWrite::committed);
            done.tryEmitEmpty();
        }
    }

    private WriteStream stream(int capacity, int maxBatchSize, int maxInFlight, Duration window) {
        return stream(capacity, maxBatchSize, maxInFlight, window, LONG, () -> time.now(TimeUnit.NANOSECONDS));
    }

    private WriteStream stream(int capacity, int maxBatchSize, int maxInFlight, Duration window, Duration maxQueueWait,
                               LongSupplier clock) {
        return new WriteStream(capacity, maxBatchSize, maxInFlight, window, maxQueueWait, batch -> {
            Sinks.Empty<Void> done = Sinks.empty();
            launched.add(new Launched(batch, done));
            return done.asMono();
        }, new WriteMetrics(meters, maxBatchSize), time, clock);
    }

    private double expired() {
        return meters.get("mdmgw.write.rejected").tag("reason", "expired").counter().count();
    }

    private static CompletableFuture<Void> submit(WriteStream stream, String write) {
        return stream.submit(WriteKind.TOKEN_UPDATE, write).toFuture();
    }

    @Test
    void anIdleStreamSendsTheFirstWriteAtOnceWhateverTheWindow() {
        WriteStream stream = stream(10, 8, 2, LONG);
        CompletableFuture<Void> a = submit(stream, "a");

        assertThat(launched).hasSize(1);
        assertThat(launched.get(0).writes()).containsExactly("a");
        assertThat(a).as("acknowledged only by the commit").isNotDone();
        launched.get(0).commit();
        assertThat(a).isCompleted();
    }

    @Test
    void whileABatchIsInFlightAPartialBatchWaitsForTheWindow() {
        WriteStream stream = stream(10, 8, 4, Duration.ofMillis(10));
        submit(stream, "a");
        submit(stream, "b");
        submit(stream, "c");
        assertThat(launched).hasSize(1);

        time.advanceTimeBy(Duration.ofMillis(9));
        assertThat(launched).hasSize(1);
        assertThat(stream.depth()).isEqualTo(2);

        time.advanceTimeBy(Duration.ofMillis(1));
        assertThat(launched).hasSize(2);
        assertThat(launched.get(1).writes()).containsExactly("b", "c");
        assertThat(stream.depth()).isZero();
    }

    @Test
    void whileABatchIsInFlightAFullBatchGoesWithoutWaiting() {
        WriteStream stream = stream(10, 3, 4, LONG);
        submit(stream, "a");
        submit(stream, "b");
        submit(stream, "c");
        assertThat(launched).hasSize(1);
        submit(stream, "d");
        assertThat(launched).hasSize(2);
        assertThat(launched.get(1).writes()).containsExactly("b", "c", "d");
    }

    @Test
    void noMoreBatchesThanConnectionsRunAtOnce() {
        WriteStream stream = stream(10, 1, 2, Duration.ZERO);
        submit(stream, "a");
        submit(stream, "b");
        submit(stream, "c");
        assertThat(launched).hasSize(2);
        assertThat(stream.depth()).isEqualTo(1);

        launched.get(0).commit();
        assertThat(launched).hasSize(3);
        assertThat(launched.get(2).writes()).containsExactly("c");
    }

    @Test
    void whenTheLastBatchInFlightFinishesTheWaitingWritesGoAtOnce() {
        WriteStream stream = stream(10, 8, 2, LONG);
        submit(stream, "a");
        submit(stream, "b");
        assertThat(launched).hasSize(1);

        launched.get(0).commit();
        assertThat(launched).hasSize(2);
        assertThat(launched.get(1).writes()).containsExactly("b");
    }

    @Test
    void aFullQueueRefusesAtOnce() {
        WriteStream stream = stream(2, 8, 1, LONG);
        submit(stream, "in flight");
        submit(stream, "queued 1");
        submit(stream, "queued 2");
        StepVerifier.create(stream.submit(WriteKind.TOKEN_UPDATE, "refused"))
                .expectError(StoreOverloadedException.class)
                .verify(Duration.ofSeconds(5));
        assertThat(stream.depth()).isEqualTo(2);
    }

    @Test
    void closeCutsWhatIsQueuedAndCompletesOnlyWhenEveryBatchFinished() {
        WriteStream stream = stream(10, 8, 2, LONG);
        CompletableFuture<Void> a = submit(stream, "a");
        CompletableFuture<Void> b = submit(stream, "b");
        CompletableFuture<Void> closed = stream.close().toFuture();

        assertThat(launched).as("the window is not waited for when closing").hasSize(2);
        StepVerifier.create(stream.submit(WriteKind.TOKEN_UPDATE, "late"))
                .expectError(StoreOverloadedException.class)
                .verify(Duration.ofSeconds(5));
        launched.get(1).commit();
        assertThat(closed).isNotDone();
        launched.get(0).commit();
        assertThat(closed).isCompleted();
        assertThat(a).isCompleted();
        assertThat(b).isCompleted();
        assertThat(launched).hasSize(2);
    }

    // --- a drain pass that throws -----------------------------------------------------------

    private WriteStream streamOn(reactor.core.scheduler.Scheduler timer, int maxInFlight, Duration window, Duration maxQueueWait,
                                 java.util.function.Function<List<PendingWrite<?>>, Mono<Void>> runner) {
        return new WriteStream(10, 8, maxInFlight, window, maxQueueWait, runner, new WriteMetrics(meters, 8), timer,
                System::nanoTime);
    }

    private java.util.function.Function<List<PendingWrite<?>>, Mono<Void>> recording() {
        return batch -> {
            Sinks.Empty<Void> done = Sinks.empty();
            launched.add(new Launched(batch, done));
            return done.asMono();
        };
    }

    /** Schedulers.parallel() disposed at shutdown refuses timers: the window must not wedge the stream. */
    @Test
    void aWindowTimerRefusedByADisposedSchedulerDoesNotWedgeTheStream() {
        reactor.core.scheduler.Scheduler disposed = Schedulers.newSingle("disposed-window");
        disposed.dispose();
        WriteStream stream = streamOn(disposed, 4, Duration.ofMillis(10), LONG, recording());
        CompletableFuture<Void> a = submit(stream, "a");
        CompletableFuture<Void> b = submit(stream, "b"); // busy and partial: would open a window
        assertThat(launched).hasSize(1);
        assertThat(b).as("still queued, not failed: nothing had taken it").isNotDone();

        launched.get(0).commit();
        assertThat(a).isCompleted();
        assertThat(launched).as("the next pass still runs and sends what waited").hasSize(2);
        assertThat(launched.get(1).writes()).containsExactly("b");
        launched.get(1).commit();
        assertThat(b).isCompleted();

        CompletableFuture<Void> c = submit(stream, "c");
        assertThat(launched).hasSize(3);
        launched.get(2).commit();
        assertThat(c).isCompleted();
        assertThat(stream.depth()).isZero();
    }

    @Test
    void aDeadlineTimerRefusedByADisposedSchedulerDoesNotWedgeTheStream() {
        reactor.core.scheduler.Scheduler disposed = Schedulers.newSingle("disposed-deadline");
        disposed.dispose();
        WriteStream stream = streamOn(disposed, 1, Duration.ZERO, Duration.ofSeconds(5), recording());
        submit(stream, "a");
        CompletableFuture<Void> b = submit(stream, "b"); // no free slot: only the deadline timer is set
        assertThat(launched).hasSize(1);

        launched.get(0).commit();
        assertThat(launched).hasSize(2);
        launched.get(1).commit();
        assertThat(b).isCompleted();
        CompletableFuture<Void> closed = stream.close().toFuture();
        assertThat(closed).isCompleted();
    }

    /** An Error out of the runner escapes launch's RuntimeException catch: the taken writes fail, the stream goes on. */
    @Test
    void aPassThatThrowsFailsTheWritesItTookAndTheStreamKeepsWorking() {
        AtomicInteger calls = new AtomicInteger();
        java.util.function.Function<List<PendingWrite<?>>, Mono<Void>> recording = recording();
        WriteStream stream = streamOn(time, 1, Duration.ZERO, LONG, batch -> {
            if (calls.getAndIncrement() == 0) {
                throw new AssertionError("runner bug");
            }
            return recording.apply(batch);
        });

        CompletableFuture<Void> a = submit(stream, "a");
        assertThatThrownBy(() -> a.get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(dev.mdmgw.persistence.StoreUnavailableException.class);
        assertThat(stream.depth()).isZero();

        CompletableFuture<Void> b = submit(stream, "b");
        assertThat(launched).as("the slot of the failed batch was given back").hasSize(1);
        launched.get(0).commit();
        assertThat(b).isCompleted();
        assertThat(stream.close().toFuture()).isCompleted();
    }

    // --- the queue deadline --------------------------------------------------------------------

    /** The clock moves, the timer does not: only a slot freeing can expire anything here. */
    @Test
    void whenASlotFreesOverdueWritesAreFailedAndOnlyTheOthersAreSent() {
        AtomicLong clock = new AtomicLong();
        WriteStream stream = stream(10, 8, 1, LONG, Duration.ofSeconds(5), clock::get);
        CompletableFuture<Void> a = submit(stream, "a");
        clock.set(Duration.ofSeconds(1).toNanos());
        CompletableFuture<Void> old = submit(stream, "old");
        clock.set(Duration.ofMillis(4_500).toNanos());
        CompletableFuture<Void> young = submit(stream, "young");
        clock.set(Duration.ofMillis(6_001).toNanos());
        assertThat(old).as("nothing ran a pass yet").isNotDone();

        launched.get(0).commit();

        assertThat(a).isCompleted();
        assertThatThrownBy(old::join).hasCauseInstanceOf(StoreOverloadedException.class)
                .hasMessageContaining("waited longer than 5000 ms");
        assertThat(launched).hasSize(2);
        assertThat(launched.get(1).writes()).containsExactly("young");
        assertThat(young).isNotDone();
        assertThat(expired()).isEqualTo(1);
        assertThat(stream.depth()).isZero();
    }

    /**
     * A submitter preempted between reading the clock and enqueuing lands behind a younger write:
     * the head sweep stops at the younger one, the cut still must not send the older one.
     */
    @Test
    void anOverdueWriteBehindAYoungerHeadIsNotSentEither() {
        AtomicLong clock = new AtomicLong();
        WriteStream stream = stream(10, 8, 1, LONG, Duration.ofSeconds(5), clock::get);
        submit(stream, "a");
        clock.set(Duration.ofSeconds(3).toNanos());
        CompletableFuture<Void> younger = submit(stream, "younger");
        clock.set(Duration.ofSeconds(1).toNanos());
        CompletableFuture<Void> older = submit(stream, "older");
        clock.set(Duration.ofMillis(6_500).toNanos());

        launched.get(0).commit();

        assertThat(launched).hasSize(2);
        assertThat(launched.get(1).writes()).containsExactly("younger");
        assertThat(older).isCompletedExceptionally();
        assertThat(younger).isNotDone();
        assertThat(expired()).isEqualTo(1);
    }

    /** Every slot stuck and nobody submitting: only the deadline timer can answer the queued writes. */
    @Test
    void withEverySlotStuckTheTimerFailsEachQueuedWriteWhenItsWaitRunsOut() {
        WriteStream stream = stream(10, 8, 1, LONG, Duration.ofSeconds(5), () -> time.now(TimeUnit.NANOSECONDS));
        CompletableFuture<Void> stuck = submit(stream, "stuck");
        CompletableFuture<Void> first = submit(stream, "first");
        time.advanceTimeBy(Duration.ofSeconds(3));
        CompletableFuture<Void> second = submit(stream, "second");

        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(first).as("waited exactly the limit, not longer").isNotDone();
        time.advanceTimeBy(Duration.ofNanos(1));
        assertThat(first).isCompletedExceptionally();
        assertThat(second).isNotDone();
        assertThat(stream.depth()).isEqualTo(1);

        time.advanceTimeBy(Duration.ofSeconds(3));
        assertThat(second).isCompletedExceptionally();
        assertThat(stream.depth()).isZero();
        assertThat(expired()).isEqualTo(2);
        assertThat(launched).as("neither was sent").hasSize(1);

        launched.get(0).commit();
        assertThat(stuck).isCompleted();
        assertThat(launched).hasSize(1);
    }

    @Test
    void aWriteWithinTheDeadlineIsNeverExpiredByAStaleTimer() {
        WriteStream stream = stream(10, 8, 1, LONG, Duration.ofSeconds(5), () -> time.now(TimeUnit.NANOSECONDS));
        submit(stream, "stuck");
        submit(stream, "early"); // sets the timer for t = 5 s
        time.advanceTimeBy(Duration.ofSeconds(4));
        launched.get(0).commit(); // "early" goes; the timer stays set
        CompletableFuture<Void> late = submit(stream, "late"); // queued behind "early" at t = 4 s

        time.advanceTimeBy(Duration.ofSeconds(2)); // the stale timer fired at t = 5 s
        assertThat(late).isNotDone();
        time.advanceTimeBy(Duration.ofSeconds(3).plusNanos(1)); // t = 9 s + 1 ns: its own deadline
        assertThat(late).isCompletedExceptionally();
        assertThat(expired()).isEqualTo(1);
        assertThat(launched.get(1).writes()).containsExactly("early");
    }

    /**
     * Submitters, finishing batches and the deadline timer all run the drain loop on different
     * threads: each write must be settled exactly once, as committed or as expired, and an expired
     * write must never have reached the runner.
     */
    @Test
    void underContentionEveryWriteEitherCommitsOrExpiresNeverBothAndExpiredOnesAreNeverSent() throws Exception {
        int writes = 20_000;
        Set<Object> sent = ConcurrentHashMap.newKeySet();
        AtomicInteger sentTwice = new AtomicInteger();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WriteStream stream = new WriteStream(writes, 64, 3, Duration.ofNanos(50_000), Duration.ofMillis(2), batch -> {
            batch.forEach(w -> {
                if (!sent.add(w.write)) {
                    sentTwice.incrementAndGet();
                }
            });
            return Mono.delay(Duration.ofNanos(ThreadLocalRandom.current().nextLong(500_000, 3_000_000)), Schedulers.parallel())
                    .doOnNext(tick -> batch.forEach(PendingWrite::committed))
                    .then();
        }, new WriteMetrics(registry, 64), Schedulers.parallel(), System::nanoTime);

        Map<Integer, String> outcomes = new ConcurrentHashMap<>();
        AtomicInteger settledTwice = new AtomicInteger();
        Flux.range(0, writes)
                .parallel(8)
                .runOn(Schedulers.boundedElastic())
                .flatMap(i -> stream.submit(WriteKind.TOKEN_UPDATE, i)
                        .doOnSuccess(v -> record(outcomes, settledTwice, i, "committed"))
                        .onErrorResume(StoreOverloadedException.class, e -> {
                            record(outcomes, settledTwice, i, "expired");
                            return Mono.empty();
                        }), false, writes)
                .sequential()
                .then()
                .block(Duration.ofSeconds(60));
        stream.close().block(Duration.ofSeconds(60));

        assertThat(outcomes).hasSize(writes);
        assertThat(settledTwice.get()).isZero();
        assertThat(sentTwice.get()).isZero();
        List<Integer> expiredIds = outcomes.entrySet().stream().filter(e -> e.getValue().equals("expired")).map(Map.Entry::getKey).toList();
        assertThat(expiredIds).as("some writes must have expired, or this test exercised nothing").isNotEmpty();
        assertThat(expiredIds).noneMatch(sent::contains);
        assertThat(sent).hasSize(writes - expiredIds.size());
        assertThat(registry.get("mdmgw.write.rejected").tag("reason", "expired").counter().count()).isEqualTo(expiredIds.size());
        assertThat(stream.depth()).isZero();
    }

    private static void record(Map<Integer, String> outcomes, AtomicInteger settledTwice, int id, String outcome) {
        if (outcomes.putIfAbsent(id, outcome) != null) {
            settledTwice.incrementAndGet();
        }
    }

    // --- concurrency ---------------------------------------------------------------------------

    @Test
    void manyThreadsSubmittingWhileBatchesFinishOnOtherThreadsLoseNothingAndRespectEveryBound() throws Exception {
        int writes = 50_000;
        int maxInFlight = 3;
        int maxBatchSize = 64;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        AtomicInteger biggestBatch = new AtomicInteger();
        Set<Object> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();

        WriteStream stream = new WriteStream(writes, maxBatchSize, maxInFlight, Duration.ofNanos(50_000), LONG, batch -> {
            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            biggestBatch.accumulateAndGet(batch.size(), Math::max);
            batch.forEach(w -> {
                if (!seen.add(w.write)) {
                    duplicates.incrementAndGet();
                }
            });
            return Mono.delay(Duration.ofNanos(ThreadLocalRandom.current().nextLong(20_000, 200_000)), Schedulers.parallel())
                    .doOnNext(tick -> {
                        running.decrementAndGet();
                        batch.forEach(PendingWrite::committed);
                    })
                    .then();
        }, new WriteMetrics(new SimpleMeterRegistry(), maxBatchSize), Schedulers.parallel(), System::nanoTime);

        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
            ids.add(i);
        }
        Flux.fromIterable(ids)
                .parallel(8)
                .runOn(Schedulers.boundedElastic())
                .flatMap(i -> stream.submit(WriteKind.TOKEN_UPDATE, i), false, writes)
                .sequential()
                .then()
                .block(Duration.ofSeconds(60));
        stream.close().block(Duration.ofSeconds(60));

        assertThat(seen).hasSize(writes);
        assertThat(duplicates.get()).isZero();
        assertThat(mostRunning.get()).isBetween(1, maxInFlight);
        assertThat(biggestBatch.get()).isLessThanOrEqualTo(maxBatchSize);
        assertThat(stream.depth()).isZero();
    }

    /**
     * Bursts of simultaneous submits and nothing after them: a wake-up lost by the drain loop
     * would leave a write queued with no later event to rescue it.
     */
    @Test
    void simultaneousSubmitsAreNeverLeftBehindInTheQueue() throws Exception {
        int threads = 4;
        WriteStream stream = new WriteStream(1_000, 2, 2, Duration.ZERO, LONG, batch -> {
            batch.forEach(PendingWrite::committed);
            return Mono.empty();
        }, new WriteMetrics(new SimpleMeterRegistry(), 2), Schedulers.parallel(), System::nanoTime);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 2_000; round++) {
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
                List<java.util.concurrent.Future<CompletableFuture<Void>>> submitted = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String write = round + "/" + t;
                    submitted.add(pool.submit(() -> {
                        start.await();
                        return submit(stream, write);
                    }));
                }
                for (java.util.concurrent.Future<CompletableFuture<Void>> f : submitted) {
                    f.get(10, java.util.concurrent.TimeUnit.SECONDS).get(10, java.util.concurrent.TimeUnit.SECONDS);
                }
                assertThat(stream.depth()).as("round %d", round).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
