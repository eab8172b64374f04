package dev.mdmgw.persistence.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.persistence.CheckinStore;
import dev.mdmgw.persistence.EnrollmentType;
import dev.mdmgw.persistence.StoreUnavailableException;
import dev.mdmgw.persistence.write.TokenUpdateWrite;
import io.micrometer.core.instrument.DistributionSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class TokenUpdateWriteTest extends StoreTestSupport {

    @Test
    void writesQueuedTogetherForOneEnrollmentBecomeOneRowAndAllAreAcknowledged() throws Exception {
        CheckinStore store = open(s -> s.withPoolMaxSize(1)).store();
        List<TokenUpdateWrite> queued = new ArrayList<>();
        for (long v = 2; v <= 50; v++) {
            queued.add(tokenUpdate(v, "D1"));
        }
        Collections.shuffle(queued, new Random(7));

        try (HeldLock lock = lockEnrollments()) {
            // The first write takes the only connection and waits on the lock; the 49 others queue.
            Flux<Void> all = Flux.concat(Mono.just(tokenUpdate(1, "D1")), Flux.fromIterable(queued))
                    .flatMap(store::tokenUpdate, 64);
            StepVerifier.create(all).then(() -> close(lock)).expectComplete().verify(WAIT);
        }

        Map<String, Object> row = enrollment("D1");
        assertThat(row.get("write_version")).isEqualTo(50L);
        assertThat(row.get("push_magic")).isEqualTo("magic-50");
        assertThat((byte[]) row.get("token")).isEqualTo(token(50));
        assertThat(row.get("awaiting_configuration")).isEqualTo(true);
        assertThat(row.get("token_update_count")).isEqualTo(50L);
        assertThat(row.get("enabled")).isEqualTo(true);
        assertThat(count("SELECT count(*) FROM enrollments")).isEqualTo(1);

        DistributionSummary sizes = meters.get("mdmgw.write.batch.size").tag("kind", "token_update").summary();
        assertThat(sizes.count()).as("statements").isEqualTo(2);
        assertThat(sizes.max()).as("writes in the second statement").isEqualTo(49);
        assertThat(meters.get("mdmgw.write.coalesced").counter().count()).isEqualTo(48);
    }

    @Test
    void anOlderWriteArrivingLaterDoesNotOverwriteButIsCounted() throws Exception {
        CheckinStore store = store();
        StepVerifier.create(store.tokenUpdate(tokenUpdate(2, "D1"))).expectComplete().verify(WAIT);
        StepVerifier.create(store.tokenUpdate(tokenUpdate(1, "D1"))).expectComplete().verify(WAIT);

        Map<String, Object> row = enrollment("D1");
        assertThat(row.get("push_magic")).isEqualTo("magic-2");
        assertThat((byte[]) row.get("token")).isEqualTo(token(2));
        assertThat(row.get("awaiting_configuration")).isEqualTo(true);
        assertThat(row.get("write_version")).isEqualTo(2L);
        assertThat(row.get("token_update_count")).isEqualTo(2L);
    }

    @Test
    void unlockTokenIsKeptWhenAbsentAndReplacedWhenPresentEvenWithAnotherSize() throws Exception {
        CheckinStore store = store();
        byte[] first = bytes("first-unlock-token");
        byte[] second = new byte[300];
        new Random(1).nextBytes(second);

        StepVerifier.create(store.tokenUpdate(tokenUpdate(1, "D1", first))).expectComplete().verify(WAIT);
        StepVerifier.create(store.tokenUpdate(tokenUpdate(2, "D1", null))).expectComplete().verify(WAIT);
        assertThat((byte[]) enrollment("D1").get("unlock_token")).isEqualTo(first);
        assertThat(enrollment("D1").get("push_magic")).isEqualTo("magic-2");

        StepVerifier.create(store.tokenUpdate(tokenUpdate(3, "D1", second))).expectComplete().verify(WAIT);
        assertThat((byte[]) enrollment("D1").get("unlock_token")).isEqualTo(second);

        // An older write's UnlockToken loses to the stored newer one.
        StepVerifier.create(store.tokenUpdate(tokenUpdate(2, "D1", first))).expectComplete().verify(WAIT);
        assertThat((byte[]) enrollment("D1").get("unlock_token")).isEqualTo(second);
    }

    @Test
    void withinOneBatchTheNewestPresentUnlockTokenWinsEvenWhenTheNewestWriteHasNone() throws Exception {
        CheckinStore store = open(s -> s.withPoolMaxSize(1)).store();
        try (HeldLock lock = lockEnrollments()) {
            Flux<Void> all = Flux.just(tokenUpdate(1, "D0"), tokenUpdate(2, "D1", bytes("old")),
                            tokenUpdate(4, "D1", null), tokenUpdate(3, "D1", bytes("newest-present")))
                    .flatMap(store::tokenUpdate);
            StepVerifier.create(all).then(() -> close(lock)).expectComplete().verify(WAIT);
        }
        Map<String, Object> row = enrollment("D1");
        assertThat((byte[]) row.get("unlock_token")).isEqualTo(bytes("newest-present"));
        assertThat(row.get("unlock_version")).isEqualTo(3L);
        assertThat(row.get("push_magic")).isEqualTo("magic-4");
        assertThat(row.get("token_update_count")).isEqualTo(3L);
    }

    @Test
    void textAndBinaryValuesSurviveTheArrayParametersUnchanged() throws Exception {
        CheckinStore store = open(s -> s.withPoolMaxSize(1)).store();
        String awkward = "NULL";
        String quoted = "Jane \"JD\" O'Neil, {admin} \\ back\\slash\ttab é 漢字 🙂";
        byte[] allBytes = new byte[256];
        for (int i = 0; i < allBytes.length; i++) {
            allBytes[i] = (byte) i;
        }
        TokenUpdateWrite odd = new TokenUpdateWrite(9, "D1:" + quoted, "D1", quoted,
                EnrollmentType.USER, "default", TOPIC, awkward, allBytes, new byte[0], "",
                quoted, false);
        try (HeldLock lock = lockEnrollments()) {
            // Two rows in one statement, so the values really travel inside the arrays.
            Flux<Void> all = Flux.merge(store.tokenUpdate(tokenUpdate(1, "D0")), store.tokenUpdate(tokenUpdate(2, "D2")),
                    store.tokenUpdate(odd));
            StepVerifier.create(all).then(() -> close(lock)).expectComplete().verify(WAIT);
        }
        Map<String, Object> row = enrollment("D1:" + quoted);
        assertThat(row).isNotNull();
        assertThat(row.get("user_id")).isEqualTo(quoted);
        assertThat(row.get("push_magic")).isEqualTo("NULL");
        assertThat(row.get("user_short_name")).isEqualTo("");
        assertThat(row.get("user_long_name")).isEqualTo(quoted);
        assertThat((byte[]) row.get("token")).isEqualTo(allBytes);
        assertThat((byte[]) row.get("unlock_token")).isEmpty();
    }

    @Test
    void everyEnrollmentTypeIsAcceptedByTheSchemaAndReadBack() throws Exception {
        CheckinStore store = store();
        Flux<Void> all = Flux.fromArray(EnrollmentType.values())
                .flatMap(type -> store.tokenUpdate(new TokenUpdateWrite(1, "E-" + type.code(), "E-" + type.code(), null,
                        type, "default", TOPIC, "m", token(1), null, null, null, false)));
        StepVerifier.create(all).expectComplete().verify(WAIT);
        for (EnrollmentType type : EnrollmentType.values()) {
            StepVerifier.create(store.findEnrollment("default", "E-" + type.code()).map(e -> e.type()))
                    .expectNext(type)
                    .expectComplete()
                    .verify(WAIT);
        }
    }

    @Test
    void theRowIsVisibleWhenTheWriteCompletes() {
        CheckinStore store = store();
        // JDBC blocks, so the check runs off the thread that delivered the acknowledgement.
        Mono<Map<String, Object>> readAtCompletion = store.tokenUpdate(tokenUpdate(5, "D1:U1"))
                .then(Mono.fromCallable(() -> enrollment("D1:U1")).subscribeOn(Schedulers.boundedElastic()));
        StepVerifier.create(readAtCompletion)
                .assertNext(row -> {
                    assertThat(row).isNotNull();
                    assertThat(row.get("push_magic")).isEqualTo("magic-5");
                    assertThat(row.get("user_short_name")).isEqualTo("short-5");
                    assertThat(row.get("device_id")).isEqualTo("D1");
                    assertThat(row.get("type")).isEqualTo("User");
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aRowTheDatabaseRefusesFailsAloneAndItsNeighboursCommit() throws Exception {
        CheckinStore store = open(s -> s.withPoolMaxSize(1)).store();
        TokenUpdateWrite unknownOrganization = new TokenUpdateWrite(3, "POISON", "POISON", null,
                EnrollmentType.DEVICE, "no-such-org", TOPIC, "m", token(3), null, null, null, false);
        AtomicReference<Throwable> poisonError = new AtomicReference<>();

        try (HeldLock lock = lockEnrollments()) {
            Flux<Void> all = Flux.merge(
                    store.tokenUpdate(tokenUpdate(1, "D0")),
                    store.tokenUpdate(tokenUpdate(2, "D1")),
                    store.tokenUpdate(unknownOrganization).doOnError(poisonError::set).onErrorResume(e -> Mono.empty()),
                    store.tokenUpdate(tokenUpdate(4, "D2")));
            StepVerifier.create(all).then(() -> close(lock)).expectComplete().verify(WAIT);
        }

        assertThat(poisonError.get()).isInstanceOf(StoreUnavailableException.class);
        assertThat(rows("SELECT id FROM enrollments ORDER BY id")).extracting(r -> r.get("id"))
                .containsExactly("D0", "D1", "D2");
        assertThat(meters.get("mdmgw.write.batch.duration").tags("kind", "token_update", "outcome", "error").timer().count())
                .as("the three-row statement and the poison row's own").isEqualTo(2);
    }

    static void close(HeldLock lock) {
        try {
            lock.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every batch reads each device's write_version: from the index alone (V7), so that the devices
     * heap stays out of the TokenUpdate's working set in a big fleet. Another devices column in the
     * statement would need the heap again; this says so. The join is forced to the nested loop a
     * big table gets (a small one is hashed).
     */
    @Test
    void theDeviceVersionIsReadFromAnIndexOnly() throws Exception {
        update("INSERT INTO devices (id, organization_id, topic, write_version) "
                + "SELECT 'D' || n, 'default', ?, 1 FROM generate_series(1, 5000) n", TOPIC);
        update("VACUUM ANALYZE devices");
        String ids = IntStream.rangeClosed(1, 200).mapToObj(n -> "D" + n).collect(Collectors.joining(",", "'{", "}'"));
        String[] arrays = new String[15];
        Arrays.fill(arrays, "'{}'");   // unnest pads the shorter arrays with NULLs
        arrays[0] = ids;
        arrays[1] = ids;

        String plan = plan(List.of("SET enable_seqscan = off", "SET enable_hashjoin = off", "SET enable_mergejoin = off"),
                new TokenUpdateStatement().sql(), arrays);
        assertThat(plan).contains("Index Only Scan using devices_id_write_version_idx on devices d");
    }
}
