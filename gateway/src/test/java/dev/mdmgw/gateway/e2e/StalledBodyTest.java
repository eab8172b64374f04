package dev.mdmgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.gateway.Gateway;
import dev.mdmgw.persistence.testing.TestDatabase;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A client that declares a body and stops sending it is cut off (the 30 s request timeout), not waited for for ever. */
class StalledBodyTest {

    @Test
    void aStalledBodyIsAnsweredAndClosed() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Gateway gateway = Gateway.start(TestSettings.of(db.url(), null));
                Socket socket = new Socket("127.0.0.1", gateway.httpPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /mdm/checkin HTTP/1.1\r\nHost: test\r\nContent-Type: " + GatewayClient.CHECKIN_TYPE
                    + "\r\nContent-Length: 100000\r\n\r\n<?xml").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 408");
        }
    }
}
