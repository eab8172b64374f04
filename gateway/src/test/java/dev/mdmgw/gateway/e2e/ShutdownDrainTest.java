package dev.mdmgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.gateway.Gateway;
import dev.mdmgw.persistence.testing.TestDatabase;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * A gateway stopped in the middle of a TokenUpdate stream: every write it answered 200 is in the
 * database afterwards, and nobody got a 401 or a 500.
 */
class ShutdownDrainTest {
    private static final int WRITES = 5_000;
    private static final int CLIENTS = 64;

    @Test
    void everyAcknowledgedWriteSurvivesTheDrain() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            Gateway gateway = Gateway.start(TestSettings.of(db.url(), null));
            Map<String, Integer> statuses = new ConcurrentHashMap<>();
            AtomicInteger acked = new AtomicInteger();
            CountDownLatch enoughAcked = new CountDownLatch(1);
            Thread stopper = new Thread(() -> {
                try {
                    enoughAcked.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                gateway.close();
            });
            stopper.start();

            ConnectionProvider pool = ConnectionProvider.builder("drain").maxConnections(CLIENTS).build();
            HttpClient client = HttpClient.create(pool).baseUrl("http://127.0.0.1:" + gateway.httpPort())
                    .headers(h -> h.set("Content-Type", GatewayClient.CHECKIN_TYPE));
            try {
                Flux.range(0, WRITES).flatMap(i -> {
                    String udid = String.format("DRAIN-%05d", i);
                    byte[] body = DevicePlist.tokenUpdate("m" + i, new byte[32]).with("UDID", udid).xml();
                    return client.put().uri("/mdm/checkin").send(Mono.just(Unpooled.wrappedBuffer(body)))
                            .responseSingle((res, content) -> content.then(Mono.just(res.status().code())))
                            .onErrorReturn(-1) // refused or closed connection: not acknowledged
                            .doOnNext(status -> {
                                statuses.put(udid, status);
                                if (status == 200 && acked.incrementAndGet() == 500) {
                                    enoughAcked.countDown();
                                }
                            });
                }, CLIENTS).blockLast(Duration.ofMinutes(2));
            } finally {
                enoughAcked.countDown();
                stopper.join(TimeUnit.SECONDS.toMillis(60));
                pool.disposeLater().block(Duration.ofSeconds(10));
            }

            assertThat(acked.get()).isGreaterThanOrEqualTo(500);
            assertThat(statuses.values()).doesNotContain(401, 500);
            Set<String> stored = db.column("SELECT id FROM enrollments");
            statuses.forEach((udid, status) -> {
                if (status == 200) {
                    assertThat(stored).as("acknowledged %s", udid).contains(udid);
                }
            });
        }
    }
}
