package dev.mdmgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.gateway.Gateway;
import dev.mdmgw.persistence.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The connection meters count connections, not requests: many check-ins over one keep-alive
 * connection open it once, and closing it brings the gauge back down. (Counting per request also
 * left one close listener per request on the channel until it closed.)
 */
class ConnectionMeterTest {
    private static final int REQUESTS = 25;

    @Test
    void manyRequestsOverOneConnectionCountOnce() throws Exception {
        try (TestDatabase db = TestDatabase.create(ConnectionMeterTest.class);
                Gateway gateway = Gateway.start(TestSettings.of(db.url(), null))) {
            GatewayClient client = new GatewayClient(gateway.httpPort(), gateway.mgmtPort(), null);
            double openedBefore = scrape(client).sum("mdmgw_http_connections_opened_total", "port=\"device\"");

            try (Socket socket = new Socket("127.0.0.1", gateway.httpPort())) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                for (int i = 0; i < REQUESTS; i++) {
                    byte[] body = DevicePlist.tokenUpdate("m" + i, new byte[32]).with("UDID", "CONN-" + i).xml();
                    out.write(("PUT /mdm/checkin HTTP/1.1\r\nHost: test\r\nContent-Type: " + GatewayClient.CHECKIN_TYPE
                            + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                    assertThat(readStatusAndSkipBody(in)).as("request %d", i).isEqualTo(200);
                }
                PrometheusText during = scrape(client);
                assertThat(during.sum("mdmgw_http_connections_opened_total", "port=\"device\"") - openedBefore).isEqualTo(1);
                assertThat(during.sum("mdmgw_http_connections", "port=\"device\"")).isEqualTo(1);
            }

            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            double open;
            do {
                Thread.sleep(20);
                open = scrape(client).sum("mdmgw_http_connections", "port=\"device\"");
            } while (open != 0 && Instant.now().isBefore(deadline));
            assertThat(open).as("the gauge after the client closed").isZero();
        }
    }

    private static int readStatusAndSkipBody(BufferedReader in) throws Exception {
        String status = in.readLine();
        int length = 0;
        for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        for (int i = 0; i < length; i++) {
            in.read();
        }
        return Integer.parseInt(status.split(" ")[1]);
    }

    private static PrometheusText scrape(GatewayClient client) {
        return new PrometheusText(client.mgmt("/metrics").body());
    }
}
