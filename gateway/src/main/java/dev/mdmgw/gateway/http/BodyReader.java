package dev.mdmgw.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.Arrays;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Aggregates a request body into one array, never past {@code limit} bytes: a declared
 * Content-Length over the limit fails before anything is read, and a chunked body fails as soon
 * as it crosses the limit, so a hostile client cannot make us buffer without bound.
 */
final class BodyReader {
    private BodyReader() {
    }

    static Mono<byte[]> read(HttpServerRequest request, int limit) {
        long declared = declaredLength(request);
        if (declared > limit) {
            return Mono.error(new BodyTooLargeException(limit));
        }
        int initial = declared >= 0 ? (int) declared : 4096;
        return request.receive()
                .reduceWith(() -> new Accumulator(initial, limit), Accumulator::add)
                .map(Accumulator::bytes)
                .defaultIfEmpty(new byte[0]);
    }

    private static long declaredLength(HttpServerRequest request) {
        String value = request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static final class Accumulator {
        private final int limit;
        private byte[] buf;
        private int size;

        Accumulator(int initial, int limit) {
            this.buf = new byte[Math.max(initial, 16)];
            this.limit = limit;
        }

        Accumulator add(ByteBuf chunk) {
            int n = chunk.readableBytes();
            if ((long) size + n > limit) {
                throw new BodyTooLargeException(limit);
            }
            if (size + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.min(limit, Math.max(buf.length * 2, size + n)));
            }
            chunk.readBytes(buf, size, n);
            size += n;
            return this;
        }

        byte[] bytes() {
            return size == buf.length ? buf : Arrays.copyOf(buf, size);
        }
    }
}
