package dev.mdmgw.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

class SenderTest {
    /** The tester closes a connection it has not used for its idle time; the server never has to. */
    @Test
    void idleConnectionsAreClosedByTheTester() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        CountDownLatch closed = new CountDownLatch(1);
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .doOnConnection(c -> {
                    opened.incrementAndGet();
                    c.onDispose(closed::countDown);
                })
                .handle((req, res) -> req.receive().then(res.status(200).send()))
                .bindNow();
        try (Sender sender = new Sender("http://127.0.0.1:" + server.port(), 4,
                Duration.ofMillis(300), Duration.ofMillis(100))) {
            CheckinRequest put = new CheckinRequest(MessageType.TOKEN_UPDATE, 0, new byte[] {1}, null, null, null, null);
            assertThat(sender.send(put).get(5, TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(opened).hasValue(1);
            assertThat(closed.await(5, TimeUnit.SECONDS)).as("the idle connection was closed").isTrue();
            // A later request opens a fresh connection instead of failing on the closed one.
            assertThat(sender.send(put).get(5, TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(opened).hasValue(2);
        } finally {
            server.disposeNow();
        }
    }
}
