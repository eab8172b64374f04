package dev.mdmgw.persistence.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.persistence.CheckinStore;
import dev.mdmgw.persistence.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An error every row would hit the same way (42501 permission denied) must not send the batch row by row. */
@SuppressWarnings("try") // the held lock works by existing
class SystemicErrorTest extends StoreTestSupport {

    @AfterEach
    void dropTrigger() throws Exception {
        update("DROP TRIGGER IF EXISTS deny ON enrollments");
        update("DROP FUNCTION IF EXISTS deny()");
    }

    @Test
    void aPermissionErrorFailsTheWholeBatchInOneStatement() throws Exception {
        update("CREATE FUNCTION deny() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN RAISE EXCEPTION 'no writes for you' USING ERRCODE = '42501'; END $$");
        update("CREATE TRIGGER deny BEFORE INSERT OR UPDATE ON enrollments FOR EACH ROW EXECUTE FUNCTION deny()");
        CheckinStore store = open(s -> s.withPoolMaxSize(1)).store();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        try (HeldLock lock = lockEnrollments()) {
            writes.add(store.tokenUpdate(tokenUpdate(1, "FIRST")).toFuture()); // goes alone, waits on the lock
            awaitBackendWaitingOnLock();
            for (int i = 0; i < 10; i++) {
                writes.add(store.tokenUpdate(tokenUpdate(10 + i, "D" + i)).toFuture()); // one batch of 10
            }
        }
        for (CompletableFuture<Void> w : writes) {
            assertThat(w).failsWithin(WAIT.toSeconds(), TimeUnit.SECONDS)
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(StoreUnavailableException.class);
        }
        double statements = meters.get("mdmgw.write.batch.duration").tags("kind", "token_update", "outcome", "error").timer().count();
        assertThat(statements).as("one statement per batch, none row by row").isEqualTo(2);
        assertThat(count("SELECT count(*) FROM enrollments")).isZero();
    }
}
