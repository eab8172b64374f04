package dev.mdmgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.persistence.testing.TestDatabase;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;

/**
 * The real jar, SIGTERMed (as Kubernetes stops a pod) in the middle of a TokenUpdate stream:
 * readiness turns 503 while connections are still accepted, then the port closes, every write it
 * acknowledged is in the database, and the process exits 0.
 */
class SigtermDrainIT {
    private static final int CLIENTS = 32;
    private static final int MOST_REQUESTS = 200_000;
    private static final int ACKED_BEFORE_SIGTERM = 300;

    /** One answer: the status (-1 when refused or cut off, i.e. not acknowledged) and when it came. */
    private record Answer(int status, long at) {
    }

    @Test
    void sigtermDrainsEveryAcknowledgedWriteAfterReadinessTurned503() throws Exception {
        try (TestDatabase db = TestDatabase.create(SigtermDrainIT.class);
                GatewayProcess gateway = GatewayProcess.start(Map.of(
                        "MDMGW_DB_URL", db.url(),
                        "MDMGW_HTTP_PORT", "0",
                        "MDMGW_MGMT_PORT", "0",
                        "MDMGW_DEVICE_AUTH", "none",
                        "MDMGW_SHUTDOWN_GRACE_SECONDS", "20",
                        "MDMGW_SHUTDOWN_DELAY_SECONDS", "2"))) {
            List<Answer> readiness = new CopyOnWriteArrayList<>();
            Thread prober = probeReadiness(gateway, readiness);
            Map<String, Answer> answers = new ConcurrentHashMap<>();
            AtomicInteger acked = new AtomicInteger();
            AtomicLong sigtermAt = new AtomicLong(Long.MAX_VALUE);

            ConnectionProvider pool = ConnectionProvider.builder("sigterm").maxConnections(CLIENTS).build();
            reactor.netty.http.client.HttpClient client = reactor.netty.http.client.HttpClient.create(pool)
                    .baseUrl("http://127.0.0.1:" + gateway.httpPort())
                    .headers(h -> h.set("Content-Type", GatewayClient.CHECKIN_TYPE))
                    .responseTimeout(Duration.ofSeconds(30));
            try {
                Flux.range(0, MOST_REQUESTS)
                        .takeWhile(i -> gateway.isAlive())
                        .flatMap(i -> {
                            String udid = String.format("SIGTERM-%06d", i);
                            byte[] body = DevicePlist.tokenUpdate("m" + i, new byte[32]).with("UDID", udid).xml();
                            return client.put().uri("/mdm/checkin").send(Mono.just(Unpooled.wrappedBuffer(body)))
                                    .responseSingle((res, content) -> content.then(Mono.just(res.status().code())))
                                    .onErrorReturn(-1)
                                    .doOnNext(status -> {
                                        answers.put(udid, new Answer(status, System.nanoTime()));
                                        if (status == 200 && acked.incrementAndGet() == ACKED_BEFORE_SIGTERM) {
                                            sigtermAt.set(System.nanoTime());
                                            gateway.sigterm();
                                        }
                                    });
                        }, CLIENTS)
                        .blockLast(Duration.ofMinutes(3));
            } finally {
                pool.disposeLater().block(Duration.ofSeconds(10));
            }

            assertThat(gateway.awaitExit(60)).as("exit code after SIGTERM").isZero();
            prober.join(10_000);
            assertThat(sigtermAt.get()).as("SIGTERM was sent").isNotEqualTo(Long.MAX_VALUE);

            Set<String> stored = db.column("SELECT id FROM enrollments");
            answers.forEach((udid, a) -> {
                assertThat(a.status()).as(udid).isIn(200, 503, -1);
                if (a.status() == 200) {
                    assertThat(stored).as("acknowledged %s", udid).contains(udid);
                }
            });

            long readyzDown = readiness.stream().filter(r -> r.status() == 503 && r.at() > sigtermAt.get())
                    .mapToLong(Answer::at).min().orElseThrow(() -> new AssertionError("/readyz never answered 503: " + readiness));
            assertThat(readiness.stream().filter(r -> r.at() < sigtermAt.get()).map(Answer::status))
                    .as("ready before SIGTERM").contains(200);
            long firstRefused = answers.values().stream().filter(a -> a.status() == -1 && a.at() > sigtermAt.get())
                    .mapToLong(Answer::at).min().orElse(Long.MAX_VALUE);
            assertThat(readyzDown).as("readiness went 503 before the port stopped accepting").isLessThan(firstRefused);
            assertThat(answers.values().stream().filter(a -> a.status() == 200 && a.at() > readyzDown).count())
                    .as("writes still acknowledged while load balancers catch up").isPositive();
            assertThat(gateway.lines()).anyMatch(l -> l.contains("\"stopped\""));
        }
    }

    /** Polls /readyz on the management port until the process is gone, noting each answer. */
    private static Thread probeReadiness(GatewayProcess gateway, List<Answer> readiness) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.mgmtPort() + "/readyz"))
                .timeout(Duration.ofSeconds(2)).build();
        Thread t = new Thread(() -> {
            while (gateway.isAlive()) {
                int status;
                try {
                    status = http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (Exception e) {
                    status = -1;
                }
                readiness.add(new Answer(status, System.nanoTime()));
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "readiness-probe");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
