package dev.mdmgw.persistence.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.persistence.CheckinStore;
import dev.mdmgw.persistence.Database;
import dev.mdmgw.persistence.EnrollmentType;
import dev.mdmgw.persistence.StoreUnavailableException;
import dev.mdmgw.persistence.write.TokenUpdateWrite;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A batch refused for one bad row goes row by row; that phase must stay bounded when the
 * database stalls (review: 256 rows x the statement timeout).
 */
class RowByRowTest extends StoreTestSupport {

    @AfterEach
    void dropTrigger() throws Exception {
        update("DROP TRIGGER IF EXISTS slow_refusal ON enrollments");
        update("DROP FUNCTION IF EXISTS slow_refusal()");
    }

    /** A NUL in text: SQLSTATE 22021, a row error that fails the whole batch statement at once. */
    private static TokenUpdateWrite badRow(long version, String id) {
        return new TokenUpdateWrite(version, id, id, null, EnrollmentType.DEVICE, "default", TOPIC, "m", token(version), null,
                null, "bad\u0000name", false);
    }

    @Test
    void theFirstNonRowErrorFailsTheRemainingRowsInsteadOfWaitingOutEachOne() throws Exception {
        int n = 20;
        update("INSERT INTO enrollments (id, device_id, type, organization_id, write_version) VALUES ('B0', 'B0', 'Device', 'default', 1)");
        for (int i = 1; i <= n; i++) {
            update("INSERT INTO enrollments (id, device_id, type, organization_id, write_version) VALUES (?, ?, 'Device', 'default', 1)",
                    String.format("E%02d", i), String.format("E%02d", i));
        }
        CheckinStore store = open(s -> s.withPoolMaxSize(1).withStatementTimeout(Duration.ofMillis(500))).store();
        Map<String, CompletableFuture<Void>> writes = new LinkedHashMap<>();
        long start;
        try (Connection first = db.jdbc(); Connection rows = db.jdbc()) {
            first.setAutoCommit(false);
            first.createStatement().execute("SELECT * FROM enrollments WHERE id = 'B0' FOR UPDATE");
            rows.setAutoCommit(false);
            rows.createStatement().execute("SELECT * FROM enrollments WHERE id LIKE 'E%' FOR UPDATE");

            CompletableFuture<Void> b0 = store.tokenUpdate(tokenUpdate(2, "B0")).toFuture(); // alone, waits on B0
            awaitBackendWaitingOnLock();
            writes.put("A0", store.tokenUpdate(badRow(100, "A0")).toFuture()); // sorts first
            for (int i = 1; i <= n; i++) {
                String id = String.format("E%02d", i);
                writes.put(id, store.tokenUpdate(tokenUpdate(100 + i, id)).toFuture());
            }
            start = System.nanoTime();
            first.rollback(); // B0 commits; the other 21 go as one batch
            b0.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            for (CompletableFuture<Void> w : writes.values()) {
                assertThat(w).failsWithin(WAIT.toSeconds(), TimeUnit.SECONDS)
                        .withThrowableOfType(ExecutionException.class)
                        .withCauseInstanceOf(StoreUnavailableException.class);
            }
            rows.rollback();
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(elapsedMs).as("one statement timeout, not one per row").isLessThan(4_000);
        double failedStatements = meters.get("mdmgw.write.batch.duration").tags("kind", "token_update", "outcome", "error").timer().count();
        assertThat(failedStatements).as("the batch, the bad row, then the first stalled row only").isEqualTo(3);
        assertThat(enrollment("A0")).isNull();
        assertThat(enrollment("E01").get("token_update_count")).isEqualTo(0L);
    }

    /**
     * Every row is refused, slowly (a trigger sleeps, then raises a check violation): row errors
     * let the row-by-row phase go on, so only the batch's deadline bounds it.
     */
    @Test
    void theRowByRowPhaseStopsAtTheBatchDeadline() throws Exception {
        update("CREATE FUNCTION slow_refusal() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.id LIKE 'SLOW%' THEN PERFORM pg_sleep(0.3); "
                + "RAISE EXCEPTION 'refused slowly' USING ERRCODE = '23514'; END IF; RETURN NEW; END $$");
        update("CREATE TRIGGER slow_refusal BEFORE INSERT OR UPDATE ON enrollments FOR EACH ROW EXECUTE FUNCTION slow_refusal()");

        ConnectionPool pool = Database.createPool(settings().withPoolMaxSize(1));
        try {
            BatchRunner runner = new BatchRunner(pool, new WriteMetrics(new SimpleMeterRegistry(), 256),
                    Duration.ofSeconds(12), Duration.ofMillis(1_500));
            List<PendingWrite<?>> batch = new ArrayList<>();
            Map<String, CompletableFuture<Void>> outcomes = new LinkedHashMap<>();
            List<String> ids = new ArrayList<>(List.of("A-OK"));
            for (int i = 0; i < 20; i++) {
                ids.add(String.format("SLOW%02d", i));
            }
            ids.add("Z-OK");
            for (String id : ids) {
                AtomicReference<PendingWrite<?>> pending = new AtomicReference<>();
                outcomes.put(id, Mono.<Void>create(sink -> pending.set(
                        new PendingWrite<>(WriteKind.TOKEN_UPDATE, tokenUpdate(10, id), sink, 0L))).toFuture());
                batch.add(pending.get());
            }

            long start = System.nanoTime();
            runner.run(batch).block(WAIT);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(elapsedMs).as("bounded by the deadline, not 21 x 0.3 s").isLessThan(3_000);
            assertThat(outcomes.get("A-OK")).isCompleted();
            assertThat(outcomes.get("Z-OK")).isCompletedExceptionally();
            assertThat(outcomes.values()).allMatch(CompletableFuture::isDone);
            assertThat(enrollment("A-OK")).isNotNull();
            assertThat(enrollment("Z-OK")).isNull();
        } finally {
            pool.disposeLater().block(WAIT);
        }
    }
}
