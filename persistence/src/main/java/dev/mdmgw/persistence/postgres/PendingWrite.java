package dev.mdmgw.persistence.postgres;

import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.MonoSink;

/**
 * One submitted write and the caller waiting for its commit. Settled exactly once: a second
 * outcome (say, a late failure after a success) would otherwise reach Reactor's dropped-error hook.
 */
final class PendingWrite<W> {
    final WriteKind kind;
    final W write;
    private final MonoSink<Void> caller;
    private final AtomicBoolean settled = new AtomicBoolean();

    PendingWrite(WriteKind kind, W write, MonoSink<Void> caller) {
        this.kind = kind;
        this.write = write;
        this.caller = caller;
    }

    void committed() {
        if (settled.compareAndSet(false, true)) {
            caller.success();
        }
    }

    void failed(Throwable error) {
        if (settled.compareAndSet(false, true)) {
            caller.error(error);
        }
    }
}
