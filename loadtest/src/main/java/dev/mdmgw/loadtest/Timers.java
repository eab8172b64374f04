package dev.mdmgw.loadtest;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The load tester's side timers (progress lines, phase switch): one daemon thread each, so a run never waits for them. */
final class Timers {
    private Timers() {
    }

    static ScheduledExecutorService daemon(String threadName) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }
}
