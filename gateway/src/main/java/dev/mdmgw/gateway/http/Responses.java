package dev.mdmgw.gateway.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/** Small helpers for the answers every route sends. */
final class Responses {
    private Responses() {
    }

    static Mono<Void> text(HttpServerResponse res, int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return res.status(HttpResponseStatus.valueOf(status))
                .header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(bytes.length))
                .sendByteArray(Mono.just(bytes))
                .then();
    }

    static Mono<Void> bytes(HttpServerResponse res, int status, String contentType, byte[] body) {
        return res.status(HttpResponseStatus.valueOf(status))
                .header(HttpHeaderNames.CONTENT_TYPE, contentType)
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length))
                .sendByteArray(Mono.just(body))
                .then();
    }

    static Mono<Void> empty(HttpServerResponse res, int status) {
        return res.status(HttpResponseStatus.valueOf(status))
                .header(HttpHeaderNames.CONTENT_LENGTH, "0")
                .send();
    }

    /**
     * Retry-After for a 503, spread over a few seconds so that a fleet told to come back does not
     * come back in one wave.
     */
    static HttpServerResponse retryAfter(HttpServerResponse res) {
        return res.header(HttpHeaderNames.RETRY_AFTER, Integer.toString(2 + ThreadLocalRandom.current().nextInt(7)));
    }
}
