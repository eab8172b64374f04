package dev.mdmgw.gateway.http;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The id a request's log lines carry: the proxy's {@code X-Request-Id} when it set one (so our lines
 * join its access log), else one of ours, unique per process run. Only made when a line is logged.
 */
final class RequestIds {
    static final String HEADER = "X-Request-Id";
    private static final int MAX_LENGTH = 128;
    private static final String PREFIX = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + '-';
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private RequestIds() {
    }

    static String of(HttpHeaders headers) {
        String given = headers == null ? null : headers.get(HEADER);
        if (given != null && !given.isBlank() && given.length() <= MAX_LENGTH) {
            return given;
        }
        return PREFIX + Long.toHexString(SEQUENCE.incrementAndGet());
    }
}
