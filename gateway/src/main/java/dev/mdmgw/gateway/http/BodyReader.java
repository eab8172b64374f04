package dev.mdmgw.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.Arrays;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Aggregates a request body into one array, never past {@code limit} bytes: a declared
 * Content-Length over the limit fails before anything is read, and a chunked body fails as soon
 * as it crosses the limit. Every byte held is taken from the request's {@link BodyBudget.Lease},
 * as it arrives rather than as declared, so a client that declares a large body and sends little
 * holds little.
 */
final class BodyReader {
    private static final int FIRST_BUFFER = 16 * 1024;

    private BodyReader() {
    }

    static Mono<byte[]> read(HttpServerRequest request, int limit, BodyBudget.Lease lease) {
        long declared = declaredLength(request);
        if (declared > limit) {
            return Mono.error(new BodyTooLargeException(limit));
        }
        int first = declared >= 0 ? (int) Math.min(declared, FIRST_BUFFER) : 4096;
        return request.receive()
                .reduceWith(() -> new Accumulator(first, limit, lease), Accumulator::add)
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
        private final BodyBudget.Lease lease;
        private byte[] buf;
        private int size;

        Accumulator(int first, int limit, BodyBudget.Lease lease) {
            this.limit = limit;
            this.lease = lease;
            this.buf = new byte[0];
            grow(Math.max(first, 16));
        }

        Accumulator add(ByteBuf chunk) {
            int n = chunk.readableBytes();
            if ((long) size + n > limit) {
                throw new BodyTooLargeException(limit);
            }
            if (size + n > buf.length) {
                grow(Math.min(limit, Math.max(buf.length * 2, size + n)));
            }
            chunk.readBytes(buf, size, n);
            size += n;
            return this;
        }

        private void grow(int capacity) {
            lease.reserve(capacity - buf.length);
            buf = Arrays.copyOf(buf, capacity);
        }

        byte[] bytes() {
            return size == buf.length ? buf : Arrays.copyOf(buf, size);
        }
    }
}
