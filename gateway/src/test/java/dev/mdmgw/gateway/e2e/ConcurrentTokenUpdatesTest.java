package dev.mdmgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mdmgw.gateway.Gateway;
import dev.mdmgw.gateway.plist.Plist;
import dev.mdmgw.persistence.testing.TestDatabase;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * 10,000 TokenUpdates from 200 concurrent clients for 2,000 devices, in random order. Afterwards
 * each device must hold a write that no other acknowledged write of it came strictly after (the
 * newest, as far as real time can tell), and its count must equal its acknowledgements.
 */
class ConcurrentTokenUpdatesTest {
    private static final int DEVICES = 2_000;
    private static final int WRITES = 10_000;
    private static final int CLIENTS = 200;
    private static final String KEY = "concurrency-key";

    private static TestDatabase db;
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        gateway = Gateway.start(TestSettings.of(db.url(), KEY));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** One write as the client saw it: when it was sent, when its 200 arrived. */
    private static final class Sent {
        final String udid;
        final String pushMagic;
        final byte[] body;
        long sentAt;
        long ackedAt;
        int status;

        Sent(String udid, String pushMagic, byte[] body) {
            this.udid = udid;
            this.pushMagic = pushMagic;
            this.body = body;
        }
    }

    @Test
    void everyDeviceEndsWithItsNewestAcknowledgedWrite() {
        Random random = new Random(42);
        List<Sent> writes = new ArrayList<>(WRITES);
        for (int i = 0; i < WRITES; i++) {
            String udid = String.format("CONC-%05d", i % DEVICES);
            String magic = "magic-" + i;
            byte[] token = new byte[32];
            random.nextBytes(token);
            Plist body = DevicePlist.tokenUpdate(magic, token).with("UDID", udid);
            if (random.nextBoolean()) {
                body.with("UnlockToken", new byte[1 + random.nextInt(64)]);
            }
            writes.add(new Sent(udid, magic, body.xml()));
        }
        Collections.shuffle(writes, random);

        ConnectionProvider pool = ConnectionProvider.builder("devices").maxConnections(CLIENTS)
                .pendingAcquireMaxCount(-1).build();
        HttpClient client = HttpClient.create(pool).baseUrl("http://127.0.0.1:" + gateway.httpPort())
                .headers(h -> h.set("Content-Type", GatewayClient.CHECKIN_TYPE));
        try {
            Flux.fromIterable(writes)
                    .flatMap(w -> Mono.defer(() -> {
                        w.sentAt = System.nanoTime();
                        return client.put().uri("/mdm/checkin")
                                .send(Mono.just(Unpooled.wrappedBuffer(w.body)))
                                .responseSingle((res, content) -> content.then(Mono.just(res.status().code())));
                    }).doOnNext(status -> {
                        w.ackedAt = System.nanoTime();
                        w.status = status;
                    }), CLIENTS)
                    .blockLast(Duration.ofMinutes(3));
        } finally {
            pool.disposeLater().block(Duration.ofSeconds(10));
        }

        assertThat(writes).allSatisfy(w -> assertThat(w.status).as("status of %s", w.pushMagic).isEqualTo(200));

        Map<String, List<Sent>> byDevice = new HashMap<>();
        writes.forEach(w -> byDevice.computeIfAbsent(w.udid, k -> new ArrayList<>()).add(w));
        GatewayClient admin = new GatewayClient(gateway.httpPort(), gateway.mgmtPort(), KEY);
        for (Map.Entry<String, List<Sent>> e : byDevice.entrySet()) {
            JsonNode stored = admin.enrollment(e.getKey());
            List<Sent> acked = e.getValue();
            assertThat(stored.get("tokenUpdateCount").asLong()).as("count of %s", e.getKey()).isEqualTo(acked.size());
            String magic = stored.get("pushMagic").asText();
            Sent winner = acked.stream().filter(w -> w.pushMagic.equals(magic)).findFirst()
                    .orElseThrow(() -> new AssertionError(e.getKey() + " holds a value nobody sent: " + magic));
            for (Sent other : acked) {
                assertThat(other.sentAt)
                        .as("%s holds %s, but %s was sent after it was acknowledged", e.getKey(), magic, other.pushMagic)
                        .isLessThanOrEqualTo(winner.ackedAt);
            }
        }
    }
}
