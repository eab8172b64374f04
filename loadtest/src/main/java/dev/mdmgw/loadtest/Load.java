package dev.mdmgw.loadtest;

import java.util.concurrent.CompletableFuture;

/** What the open and closed models drive: one unit of work at a time. */
public interface Load {

    /**
     * Starts one unit meant to start at {@code intendedNanos} ({@link System#nanoTime()}), without
     * blocking; completes when answered, never exceptionally. Null when a finite load is used up.
     */
    CompletableFuture<?> fire(long intendedNanos);

    /** The open model could not start a unit at {@code intendedNanos}: too many in flight. Counted as an error. */
    void overflow(long intendedNanos);
}
