package dev.mdmgw.persistence.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.persistence.CheckinStore;
import dev.mdmgw.persistence.Database;
import dev.mdmgw.persistence.StoreOverloadedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The queue deadline against a real stall: a pool of one connection whose statement waits on a
 * held lock, so nothing queued can be sent until the lock goes.
 */
@SuppressWarnings("try") // the held lock works by existing
class QueueDeadlineTest extends StoreTestSupport {

    /** How a write ended, and how long after its subscription. */
    record Outcome(Throwable error, Duration elapsed) {
    }

    @Test
    void writesQueuedBehindAStalledPoolFailSoonAfterTheirWaitRunsOutAndAreNeverWritten() throws Exception {
        Duration maxWait = Duration.ofMillis(300);
        int queued = 20;
        Database database = open(s -> s.withPoolMaxSize(1).withMaxQueueWait(maxWait));
        CheckinStore store = database.store();
        CompletableFuture<Void> sent;
        try (HeldLock lock = lockEnrollments()) {
            sent = store.tokenUpdate(tokenUpdate(1, "SENT")).toFuture();
            awaitBackendWaitingOnLock();

            // No slot frees and nothing else is submitted: only the deadline timer can answer these.
            Flux<Outcome> writes = Flux.range(0, queued).flatMap(i -> timed(store.tokenUpdate(tokenUpdate(1, "Q" + i))));
            StepVerifier.create(writes)
                    .recordWith(ArrayList::new)
                    .expectNextCount(queued)
                    .consumeRecordedWith(outcomes -> assertThat(outcomes).allSatisfy(o -> {
                        assertThat(o.error()).isInstanceOf(StoreOverloadedException.class)
                                .hasMessageContaining("waited longer than 300 ms");
                        // Lower bound: never before the deadline. Upper: generous slack for a busy CI machine.
                        assertThat(o.elapsed()).isGreaterThan(maxWait).isLessThan(maxWait.multipliedBy(5));
                    }))
                    .expectComplete()
                    .verify(WAIT);

            assertThat(expiredCount()).isEqualTo(queued);
            assertThat(store.queueDepth()).isZero();
            assertThat(sent).as("a write already sent is the database's to answer").isNotDone();
        }
        StepVerifier.create(Mono.fromFuture(sent)).expectComplete().verify(WAIT);
        StepVerifier.create(store.tokenUpdate(tokenUpdate(2, "AFTER"))).expectComplete().verify(WAIT);
        StepVerifier.create(database.shutdown()).expectComplete().verify(WAIT);

        assertThat(ids()).containsExactly("AFTER", "SENT");
    }

    @Test
    void writesQueuedForLessThanTheLimitCommitNormallyBehindOnesThatExpired() throws Exception {
        Duration maxWait = Duration.ofSeconds(1);
        Database database = open(s -> s.withPoolMaxSize(1).withMaxQueueWait(maxWait));
        CheckinStore store = database.store();
        CompletableFuture<Void> sent;
        CompletableFuture<Void> fresh;
        try (HeldLock lock = lockEnrollments()) {
            sent = store.tokenUpdate(tokenUpdate(1, "SENT")).toFuture();
            awaitBackendWaitingOnLock();
            StepVerifier.create(store.tokenUpdate(tokenUpdate(1, "OLD")))
                    .expectError(StoreOverloadedException.class)
                    .verify(WAIT);

            fresh = Flux.range(0, 5).flatMap(i -> store.tokenUpdate(tokenUpdate(1, "FRESH" + i))).then().toFuture();
            assertThat(store.queueDepth()).as("queued behind the stuck batch").isEqualTo(5);
        }
        // The slot frees well within a second of the fresh writes being queued: they are sent.
        StepVerifier.create(Mono.fromFuture(sent)).expectComplete().verify(WAIT);
        StepVerifier.create(Mono.fromFuture(fresh)).expectComplete().verify(WAIT);
        assertThat(expiredCount()).isEqualTo(1);
        StepVerifier.create(database.shutdown()).expectComplete().verify(WAIT);

        assertThat(ids()).containsExactly("FRESH0", "FRESH1", "FRESH2", "FRESH3", "FRESH4", "SENT");
    }

    private static Mono<Outcome> timed(Mono<Void> write) {
        return Mono.defer(() -> {
            long start = System.nanoTime();
            return write.then(Mono.fromSupplier(() -> new Outcome(null, Duration.ofNanos(System.nanoTime() - start))))
                    .onErrorResume(e -> Mono.just(new Outcome(e, Duration.ofNanos(System.nanoTime() - start))));
        });
    }

    private double expiredCount() {
        return meters.get("mdmgw.write.rejected").tag("reason", "expired").counter().count();
    }

    private List<Object> ids() throws Exception {
        return rows("SELECT id FROM enrollments ORDER BY id").stream().map(r -> r.get("id")).toList();
    }
}
