package dev.mdmgw.persistence.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.persistence.Database;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every statement locks the enrollment rows it writes in ascending id order, so a TokenUpdate
 * batch and an Authenticate or CheckOut batch sharing rows wait for each other instead of
 * deadlocking. The statements run bare here, without the runner's rerun after a deadlock, so a
 * deadlock shows as an error.
 *
 * <p>Arrangement: a JDBC session holds the device-channel row D1. The TokenUpdate batch [D1, D1:U*]
 * queues on D1 first, holding nothing; the other statement queues second. When D1 is released the
 * TokenUpdate gets it and goes on to D1:U*: a statement that locked a user row before queuing on
 * D1 deadlocks with it.
 */
class LockOrderTest extends StoreTestSupport {

    private ConnectionPool pool;
    private final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void openPool() {
        pool = Database.createPool(settings().withPoolMaxSize(2));
    }

    @AfterEach
    void closePool() {
        connections.forEach(c -> Mono.from(c.close()).block(WAIT));
        connections.clear();
        pool.disposeLater().block(WAIT);
    }

    private static final String[] USERS = {"D1:U1", "D1:U2", "D1:U3", "D1:U4", "D1:U5", "D1:U6", "D1:U7", "D1:U8"};

    private void arrange() throws Exception {
        update("INSERT INTO devices (id, organization_id, write_version) VALUES ('D1', 'default', 1)");
        // Users first: a plan that follows the physical order reaches a user row before D1.
        for (String id : USERS) {
            update("INSERT INTO enrollments (id, device_id, user_id, type, organization_id, enabled, write_version) "
                    + "VALUES (?, 'D1', ?, 'User', 'default', true, 1)", id, id.substring(3));
        }
        update("INSERT INTO enrollments (id, device_id, type, organization_id, enabled, write_version) "
                + "VALUES ('D1', 'D1', 'Device', 'default', true, 1)");
    }

    private CompletableFuture<Void> tokenUpdates(long version) {
        List<PendingWrite<?>> writes = new ArrayList<>();
        writes.add(pending(WriteKind.TOKEN_UPDATE, tokenUpdate(version, "D1")));
        for (String id : USERS) {
            writes.add(pending(WriteKind.TOKEN_UPDATE, tokenUpdate(version, id)));
        }
        return run(new TokenUpdateStatement(), writes);
    }

    @Test
    void authenticateAndTokenUpdateDoNotDeadlock() throws Exception {
        arrange();
        assertNoDeadlock(() -> run(new AuthenticateStatement(), List.of(pending(WriteKind.AUTHENTICATE, authenticate(11, "D1")))));
        assertThat(enrollment("D1").get("write_version")).isEqualTo(11L);
        assertThat(enrollment("D1:U1").get("enabled")).isEqualTo(false);
    }

    @Test
    void checkOutAndTokenUpdateDoNotDeadlock() throws Exception {
        arrange();
        assertNoDeadlock(() -> run(new CheckOutStatement(), List.of(pending(WriteKind.CHECK_OUT, checkOut(11, "D1", true)))));
        assertThat(rows("SELECT id FROM enrollments WHERE enabled")).isEmpty();
    }

    private void assertNoDeadlock(java.util.function.Supplier<CompletableFuture<Void>> second) throws Exception {
        try (java.sql.Connection holder = db.jdbc()) {
            holder.setAutoCommit(false);
            holder.createStatement().execute("SELECT * FROM enrollments WHERE id = 'D1' FOR UPDATE");
            CompletableFuture<Void> first = tokenUpdates(10);
            awaitWaiting(1);
            CompletableFuture<Void> other = second.get();
            awaitWaiting(2);
            holder.rollback();
            first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            other.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private void awaitWaiting(int sessions) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND application_name = ? AND wait_event_type = 'Lock'", Database.APPLICATION_NAME) < sessions) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(sessions + " sessions never waited on a lock");
            }
            Thread.sleep(10);
        }
        Thread.sleep(50); // let the waiter settle on its lock
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private <W> CompletableFuture<Void> run(WriteStatement<W> statement, List<PendingWrite<?>> writes) {
        Connection connection = Mono.from(pool.create()).block(WAIT);
        connections.add(connection);
        List<CoalescedRow<W>> rows = CoalescedRow.coalesce((List) writes, statement::key, statement::version);
        Statement s = connection.createStatement(statement.sql());
        statement.bind(s, rows);
        return Flux.from(s.execute()).flatMap(Result::getRowsUpdated).then().toFuture();
    }

    private static <W> PendingWrite<?> pending(WriteKind kind, W write) {
        AtomicReference<PendingWrite<?>> ref = new AtomicReference<>();
        Mono.<Void>create(sink -> ref.set(new PendingWrite<>(kind, write, sink, 0L))).subscribe(v -> { }, e -> { });
        return ref.get();
    }

}
