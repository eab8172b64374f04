package dev.mdmgw.gateway.service.ddm;

import dev.mdmgw.gateway.mdm.DeclarativeManagement;
import dev.mdmgw.gateway.mdm.EnrollmentRef;
import dev.mdmgw.gateway.service.CheckinReply;
import dev.mdmgw.gateway.service.ServiceUnavailableException;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Forwards DeclarativeManagement check-ins to the declarative-management backend
 * ({@code MDMGW_DDM_URL}): {@code GET <url>/<Endpoint>}, or {@code PUT} with the decoded
 * {@code Data} as JSON, naming the enrollment in {@code X-Enrollment-ID}, {@code X-Enrollment-Type}
 * and, on user channels, {@code X-Enrollment-ParentID}. With {@code MDMGW_DDM_HMAC_KEY} set,
 * {@code X-Hmac-Signature} carries base64(HMAC-SHA256(key, body)) (the key's UTF-8 bytes; the body
 * is empty for a GET). The backend's 2xx and 4xx answers reach the device as they are (a 404 for an
 * unknown declaration); its 5xx, a timeout or a refused connection are a 503.
 */
public final class DeclarativeForwarder implements AutoCloseable {
    public static final String HMAC_HEADER = "X-Hmac-Signature";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Declarations are small; a larger answer is a backend fault, not something to hold in memory. */
    private static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;

    private final String base;
    private final byte[] hmacKey;
    private final ConnectionProvider connections;
    private final HttpClient client;
    private final Duration timeout;

    /** {@code timeout}: the longest a forward may take in all, connecting included. */
    public DeclarativeForwarder(URI backend, String hmacKey, Duration timeout) {
        this.timeout = timeout;
        String b = backend.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.hmacKey = hmacKey == null ? null : hmacKey.getBytes(StandardCharsets.UTF_8);
        this.connections = ConnectionProvider.builder("mdmgw-ddm")
                .maxConnections(64)
                .pendingAcquireMaxCount(1024)
                .pendingAcquireTimeout(CONNECT_TIMEOUT)
                .build();
        this.client = HttpClient.create(connections)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
                .responseTimeout(timeout);
    }

    public Mono<CheckinReply> forward(DeclarativeManagement m) {
        byte[] body = m.data() == null ? new byte[0] : m.data();
        HttpMethod method = m.data() == null ? HttpMethod.GET : HttpMethod.PUT;
        EnrollmentRef e = m.enrollment();
        String signature = hmacKey == null ? null : hmac(body);
        return client
                .headers(h -> {
                    h.set("X-Enrollment-ID", e.id());
                    h.set("X-Enrollment-Type", e.type().code());
                    if (!e.isDeviceChannel()) {
                        h.set("X-Enrollment-ParentID", e.deviceId());
                    }
                    if (method == HttpMethod.PUT) {
                        h.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                    }
                    if (signature != null) {
                        h.set(HMAC_HEADER, signature);
                    }
                })
                .request(method)
                .uri(base + "/" + m.endpoint())
                .send(method == HttpMethod.PUT ? ByteBufFlux.fromString(Mono.just(new String(body, StandardCharsets.UTF_8)))
                        : ByteBufFlux.fromString(Mono.empty()))
                .response((response, content) -> content.asByteArray()
                        .reduceWith(ByteArrayOutputStream::new, (out, chunk) -> {
                            if (out.size() + chunk.length > MAX_ANSWER_BYTES) {
                                throw new IllegalStateException("answer over " + MAX_ANSWER_BYTES + " bytes");
                            }
                            out.writeBytes(chunk);
                            return out;
                        })
                        .map(out -> answer(response.status().code(), response.responseHeaders()
                                .get(HttpHeaderNames.CONTENT_TYPE), out.toByteArray())))
                .single()
                .timeout(timeout)
                .onErrorMap(ex -> !(ex instanceof ServiceUnavailableException),
                        ex -> new ServiceUnavailableException("ddm_backend",
                                "declarative-management backend unreachable: " + ex, ex));
    }

    private static CheckinReply answer(int status, String contentType, byte[] body) {
        if (status >= 500 || status < 200) {
            throw new ServiceUnavailableException("ddm_backend", "declarative-management backend answered " + status,
                    null);
        }
        if (body.length == 0) {
            return new CheckinReply(status, null, null);
        }
        return new CheckinReply(status, body, contentType == null ? "application/json" : contentType);
    }

    private String hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 is in every JDK", ex);
        }
    }

    @Override
    public void close() {
        connections.dispose();
    }
}
