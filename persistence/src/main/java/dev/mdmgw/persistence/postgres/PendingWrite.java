package dev.mdmgw.persistence.postgres;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.MonoSink;

/**
 * One submitted write and the caller waiting for its commit. Settled exactly once: a second
 * outcome (say, a late failure after a success) would otherwise reach Reactor's dropped-error hook.
 */
final class PendingWrite<W> {
    private static final Logger log = LoggerFactory.getLogger(PendingWrite.class);

    final WriteKind kind;
    final W write;
    /** When it entered the queue, on the stream's monotonic clock: the queue deadline counts from here. */
    final long enqueuedAt;
    private final MonoSink<Void> caller;
    private final AtomicBoolean settled = new AtomicBoolean();

    PendingWrite(WriteKind kind, W write, MonoSink<Void> caller, long enqueuedAt) {
        this.kind = kind;
        this.write = write;
        this.enqueuedAt = enqueuedAt;
        this.caller = caller;
    }

    void committed() {
        if (settled.compareAndSet(false, true)) {
            signal(true, null);
        }
    }

    void failed(Throwable error) {
        if (settled.compareAndSet(false, true)) {
            signal(false, error);
        }
    }

    /**
     * The caller's code runs inside this call. If it throws, that must not turn into a failure
     * for the other writes acknowledged by the same commit.
     */
    private void signal(boolean success, Throwable error) {
        try {
            if (success) {
                caller.success();
            } else {
                caller.error(error);
            }
        } catch (RuntimeException e) {
            log.error("a write's caller threw while being told the outcome", e);
        }
    }
}
