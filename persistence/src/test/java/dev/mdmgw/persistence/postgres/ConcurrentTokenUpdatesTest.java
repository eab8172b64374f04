package dev.mdmgw.persistence.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.persistence.CheckinStore;
import dev.mdmgw.persistence.StoreOverloadedException;
import dev.mdmgw.persistence.write.TokenUpdateWrite;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class ConcurrentTokenUpdatesTest extends StoreTestSupport {

    private static final int WRITES = 10_000;
    private static final int ENROLLMENTS = 2_000;

    @Test
    void everyEnrollmentEndsWithItsNewestAcknowledgedWriteAndCountsEveryAcknowledgement() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        List<Long> versions = new ArrayList<>();
        for (long v = 1; v <= WRITES; v++) {
            versions.add(v);
        }
        Collections.shuffle(versions, random);
        List<TokenUpdateWrite> writes = new ArrayList<>();
        for (long version : versions) {
            int n = random.nextInt(ENROLLMENTS);
            String id = n % 4 == 0 ? "D" + n + ":U1" : "D" + n; // a quarter are user channels
            byte[] unlock = random.nextInt(3) == 0 ? unlockToken(version) : null;
            writes.add(tokenUpdate(version, id, unlock));
        }

        // Room for every write, so each of them is acknowledged and checked (refusal has its own test).
        CheckinStore store = open(s -> s.withWriteQueueCapacity(WRITES).withPoolMaxSize(4)).store();
        ConcurrentLinkedQueue<TokenUpdateWrite> acked = new ConcurrentLinkedQueue<>();
        AtomicInteger refused = new AtomicInteger();
        Flux<Void> all = Flux.fromIterable(writes)
                .parallel(8)
                .runOn(Schedulers.parallel())
                .flatMap(w -> store.tokenUpdate(w)
                        .doOnSuccess(v -> acked.add(w))
                        .onErrorResume(StoreOverloadedException.class, e -> {
                            refused.incrementAndGet();
                            return Mono.empty();
                        }), false, WRITES)
                .sequential();
        StepVerifier.create(all).expectComplete().verify(WAIT);

        assertThat(refused.get()).as("refused (seed %d)", seed).isZero();
        assertThat(acked).hasSize(WRITES);

        Map<String, List<TokenUpdateWrite>> byEnrollment = new HashMap<>();
        acked.forEach(w -> byEnrollment.computeIfAbsent(w.enrollmentId(), k -> new ArrayList<>()).add(w));
        Map<String, Map<String, Object>> stored = new ConcurrentHashMap<>();
        for (Map<String, Object> row : rows("SELECT id, write_version, push_magic, token, unlock_token, token_update_count, "
                + "awaiting_configuration, user_short_name, enabled FROM enrollments")) {
            stored.put((String) row.get("id"), row);
        }
        assertThat(stored.keySet()).as("seed %d", seed).isEqualTo(byEnrollment.keySet());

        for (Map.Entry<String, List<TokenUpdateWrite>> e : byEnrollment.entrySet()) {
            List<TokenUpdateWrite> mine = e.getValue();
            TokenUpdateWrite newest = Collections.max(mine, (a, b) -> Long.compare(a.version(), b.version()));
            TokenUpdateWrite newestUnlock = mine.stream().filter(w -> w.unlockToken() != null)
                    .max((a, b) -> Long.compare(a.version(), b.version())).orElse(null);
            Map<String, Object> row = stored.get(e.getKey());
            String what = e.getKey() + " (seed " + seed + ")";
            assertThat(row.get("write_version")).as(what).isEqualTo(newest.version());
            assertThat(row.get("push_magic")).as(what).isEqualTo(newest.pushMagic());
            assertThat((byte[]) row.get("token")).as(what).isEqualTo(newest.token());
            assertThat(row.get("awaiting_configuration")).as(what).isEqualTo(newest.awaitingConfiguration());
            assertThat(row.get("user_short_name")).as(what).isEqualTo(newest.userShortName());
            assertThat(row.get("token_update_count")).as(what).isEqualTo((long) mine.size());
            assertThat(row.get("enabled")).as(what).isEqualTo(true);
            if (newestUnlock == null) {
                assertThat(row.get("unlock_token")).as(what).isNull();
            } else {
                assertThat((byte[]) row.get("unlock_token")).as(what).isEqualTo(newestUnlock.unlockToken());
            }
        }
        assertThat(meters.get("mdmgw.write.batch.size").tag("kind", "token_update").summary().totalAmount())
                .isEqualTo(acked.size());
    }

    private static byte[] unlockToken(long version) {
        byte[] b = new byte[16 + (int) (version % 200)];
        new Random(version).nextBytes(b);
        return b;
    }
}
