package dev.mdmgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.gateway.Gateway;
import dev.mdmgw.persistence.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Over the socket: a full write queue and a database outage are answered 503 with Retry-After,
 * never 401 or 500, and nothing answered 503 is stored while everything answered 200 is.
 */
class OverloadAndOutageTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aFullQueueSheds503WithRetryAfter() throws Exception {
        try (TestDatabase db = TestDatabase.create(OverloadAndOutageTest.class);
                Gateway gateway = Gateway.start(TestSettings.of(db.url(), null, "MDMGW_WRITE_QUEUE_CAPACITY", "2"))) {
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            try (Connection lock = db.jdbc(); Statement s = lock.createStatement()) {
                // Every batch now waits on this lock, so the queue behind them fills up.
                lock.setAutoCommit(false);
                s.execute("LOCK TABLE enrollments IN ACCESS EXCLUSIVE MODE");
                for (int i = 0; i < 40; i++) {
                    answers.add(send(gateway, "FULL-" + i));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
                while (answers.stream().noneMatch(CompletableFuture::isDone) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                lock.rollback();
            }
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                responses.add(answer.get(60, TimeUnit.SECONDS));
            }
            Set<String> stored = db.column("SELECT id FROM enrollments");
            int shed = 0;
            for (int i = 0; i < responses.size(); i++) {
                HttpResponse<String> r = responses.get(i);
                assertThat(r.statusCode()).isIn(200, 503);
                if (r.statusCode() == 503) {
                    shed++;
                    assertThat(r.headers().firstValue("Retry-After")).isPresent();
                    assertThat(stored).doesNotContain("FULL-" + i);
                } else {
                    assertThat(stored).contains("FULL-" + i);
                }
            }
            assertThat(shed).as("requests beyond the queue's bound").isGreaterThan(0);
        }
    }

    @Test
    void aDatabaseOutageIs503AndNothingIsAcknowledged() throws Exception {
        try (TestDatabase db = TestDatabase.create(OverloadAndOutageTest.class);
                Gateway gateway = Gateway.start(TestSettings.of(db.url(), null))) {
            assertThat(send(gateway, "BEFORE").get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            db.cutOff();
            try {
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> r = send(gateway, "DOWN-" + i).get(60, TimeUnit.SECONDS);
                    assertThat(r.statusCode()).isEqualTo(503);
                    assertThat(r.headers().firstValue("Retry-After")).isPresent();
                }
            } finally {
                db.restore();
            }
            assertThat(db.column("SELECT id FROM enrollments")).containsExactly("BEFORE");
            // The pool recovers once the database is back.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int status;
            do {
                status = send(gateway, "AFTER").get(30, TimeUnit.SECONDS).statusCode();
            } while (status != 200 && System.nanoTime() < deadline);
            assertThat(status).isEqualTo(200);
        }
    }

    private CompletableFuture<HttpResponse<String>> send(Gateway gateway, String udid) {
        byte[] body = DevicePlist.tokenUpdate("magic", new byte[32]).with("UDID", udid).xml();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort() + "/mdm/checkin"))
                .header("Content-Type", GatewayClient.CHECKIN_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }
}
