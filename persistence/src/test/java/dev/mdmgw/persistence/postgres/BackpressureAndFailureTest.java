package dev.mdmgw.persistence.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.persistence.CheckinStore;
import dev.mdmgw.persistence.Database;
import dev.mdmgw.persistence.StoreOverloadedException;
import dev.mdmgw.persistence.StoreUnavailableException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

@SuppressWarnings("try") // the held lock works by existing
class BackpressureAndFailureTest extends StoreTestSupport {

    @Test
    void aFullQueueRefusesAtOnceAndTheAcceptedWritesStillCommit() throws Exception {
        CheckinStore store = open(s -> s.withPoolMaxSize(1).withWriteQueueCapacity(4)).store();
        List<CompletableFuture<Void>> accepted = new ArrayList<>();
        try (HeldLock lock = lockEnrollments()) {
            for (int i = 0; i < 5; i++) {
                // The first takes the only connection and waits on the lock; four fill the queue.
                accepted.add(store.tokenUpdate(tokenUpdate(i + 1, "D" + i)).toFuture());
            }
            assertThat(store.queueDepth()).isEqualTo(4);
            assertThat(store.queueCapacity()).isEqualTo(4);

            StepVerifier.create(store.tokenUpdate(tokenUpdate(99, "D99")))
                    .expectError(StoreOverloadedException.class)
                    .verify(WAIT);
            assertThat(meters.get("mdmgw.write.rejected").tag("reason", "full").counter().count()).isEqualTo(1);
            assertThat(meters.get("mdmgw.write.queue.depth").gauge().value()).isEqualTo(4);
            assertThat(accepted).noneMatch(CompletableFuture::isDone);
        }
        CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(count("SELECT count(*) FROM enrollments")).isEqualTo(5);
        assertThat(enrollment("D99")).isNull();
    }

    /**
     * Nothing listens: connecting is refused at once, which is "unavailable". (A database that
     * does not answer at all makes acquisition time out instead: "overloaded". Both are a 503.)
     */
    @Test
    void aDatabaseThatRefusesConnectionsFailsWritesAsUnavailableAndPingAsFalse() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        String deadUrl = "postgresql://postgres@127.0.0.1:" + deadPort + "/nothing";
        CheckinStore store = track(Database.connect(settings().withUrl(deadUrl), meters)).store();

        StepVerifier.create(store.tokenUpdate(tokenUpdate(1, "D1")))
                .expectError(StoreUnavailableException.class)
                .verify(WAIT);
        StepVerifier.create(store.authenticate(authenticate(1, "D1")))
                .expectError(StoreUnavailableException.class)
                .verify(WAIT);
        StepVerifier.create(store.findEnrollment("default", "D1"))
                .expectError(StoreUnavailableException.class)
                .verify(WAIT);
        StepVerifier.create(store.ping()).expectNext(false).expectComplete().verify(WAIT);
        assertThat(store.queueDepth()).isZero();
    }

    @Test
    void aConnectionKilledMidStatementFailsItsWritesAndWritesNothingThenThePoolRecovers() throws Exception {
        CheckinStore store = open(s -> s.withPoolMaxSize(1)).store();
        CompletableFuture<Void> victim;
        try (HeldLock lock = lockEnrollments()) {
            victim = store.tokenUpdate(tokenUpdate(1, "D1")).toFuture();
            awaitBackendWaitingOnLock();
            assertThat(rows("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE datname = current_database() AND application_name = ?", Database.APPLICATION_NAME)).hasSize(1);
            StepVerifier.create(Mono.fromFuture(victim))
                    .expectError(StoreUnavailableException.class)
                    .verify(WAIT);
        }
        assertThat(enrollment("D1")).isNull();

        StepVerifier.create(store.tokenUpdate(tokenUpdate(2, "D1"))).expectComplete().verify(WAIT);
        assertThat(enrollment("D1").get("token_update_count")).isEqualTo(1L);
    }

    @Test
    void aStatementOverTheStatementTimeoutFailsAsUnavailable() throws Exception {
        CheckinStore store = open(s -> s.withPoolMaxSize(1).withStatementTimeout(Duration.ofMillis(300))).store();
        try (HeldLock lock = lockEnrollments()) {
            StepVerifier.create(store.tokenUpdate(tokenUpdate(1, "D1")))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(StoreUnavailableException.class)
                            .hasMessageContaining("statement timeout"))
                    .verify(WAIT);
        }
        assertThat(enrollment("D1")).isNull();
    }

    @Test
    void shutdownRefusesNewWritesAndCommitsEveryQueuedOneBeforeItCompletes() throws Exception {
        Database database = open(s -> s.withPoolMaxSize(1));
        CheckinStore store = database.store();
        List<CompletableFuture<Void>> accepted = new ArrayList<>();
        CompletableFuture<Void> shutdown;
        try (HeldLock lock = lockEnrollments()) {
            for (int i = 0; i < 20; i++) {
                accepted.add(store.tokenUpdate(tokenUpdate(i + 1, "D" + (i % 7))).toFuture());
            }
            shutdown = database.shutdown().toFuture();
            StepVerifier.create(store.tokenUpdate(tokenUpdate(100, "LATE")))
                    .expectError(StoreOverloadedException.class)
                    .verify(WAIT);
            assertThat(meters.get("mdmgw.write.rejected").tag("reason", "closed").counter().count()).isEqualTo(1);
            assertThat(shutdown).isNotDone();
        }
        shutdown.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(accepted).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(count("SELECT sum(token_update_count) FROM enrollments")).isEqualTo(20);
        assertThat(enrollment("LATE")).isNull();
        // Shut down means gone from /metrics too.
        assertThat(meters.find("mdmgw.write.queue.depth").gauge()).isNull();
        assertThat(meters.find("r2dbc.pool.acquired").gauge()).isNull();
    }

    @Test
    void writesAfterShutdownAreRefusedAsOverloaded() {
        Database database = open(s -> s);
        StepVerifier.create(database.shutdown()).expectComplete().verify(WAIT);
        StepVerifier.create(database.shutdown()).expectComplete().verify(WAIT);
        StepVerifier.create(Flux.merge(database.store().tokenUpdate(tokenUpdate(1, "D1")),
                        database.store().checkOut(checkOut(1, "D1", true))))
                .expectError(StoreOverloadedException.class)
                .verify(WAIT);
    }
}
