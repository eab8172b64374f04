package dev.mdmgw.persistence.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.persistence.StoreOverloadedException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
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
        return new WriteStream(capacity, maxBatchSize, maxInFlight, window, batch -> {
            Sinks.Empty<Void> done = Sinks.empty();
            launched.add(new Launched(batch, done));
            return done.asMono();
        }, new WriteMetrics(new SimpleMeterRegistry(), maxBatchSize), time);
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

        WriteStream stream = new WriteStream(writes, maxBatchSize, maxInFlight, Duration.ofNanos(50_000), batch -> {
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
        }, new WriteMetrics(new SimpleMeterRegistry(), maxBatchSize), Schedulers.parallel());

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
        WriteStream stream = new WriteStream(1_000, 2, 2, Duration.ZERO, batch -> {
            batch.forEach(PendingWrite::committed);
            return Mono.empty();
        }, new WriteMetrics(new SimpleMeterRegistry(), 2), Schedulers.parallel());
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
