package dev.mdmgw.gateway.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bound on the bytes of all request bodies held at once, across every connection: bodies being
 * read, waiting for a decode thread, or waiting for their write to commit. A body that would
 * cross it is refused with 503 instead of growing the heap until the process dies.
 */
public final class BodyBudget {
    private final long maxBytes;
    private final AtomicLong held = new AtomicLong();

    public BodyBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** A quarter of the heap: the rest is for Netty's buffers, the write queue and everything else. */
    public static BodyBudget quarterOfHeap() {
        return new BodyBudget(Runtime.getRuntime().maxMemory() / 4);
    }

    long held() {
        return held.get();
    }

    /** One request's share; released, all at once, when its answer is out. */
    Lease lease() {
        return new Lease();
    }

    final class Lease {
        private long reserved;

        /** Takes {@code bytes} more, or throws {@link BodyBudgetExceededException}. */
        void reserve(long bytes) {
            for (;;) {
                long current = held.get();
                if (current + bytes > maxBytes) {
                    throw new BodyBudgetExceededException();
                }
                if (held.compareAndSet(current, current + bytes)) {
                    reserved += bytes;
                    return;
                }
            }
        }

        void release() {
            if (reserved > 0) {
                held.addAndGet(-reserved);
                reserved = 0;
            }
        }
    }
}
