package dev.mdmgw.loadtest;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** One line a second on stderr: elapsed, sent, acknowledged, errors, rate and p99 of the last second. */
final class Progress implements AutoCloseable {
    private final ScheduledExecutorService timer = Timers.daemon("loadtest-progress");
    private final String phase;
    private final Recorder recorder;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private long lastSent;

    Progress(String phase, Recorder recorder, PrintStream out) {
        this.phase = phase;
        this.recorder = recorder;
        this.out = out;
        recorder.interval(); // the first line covers its own second only
        timer.scheduleAtFixedRate(this::print, 1, 1, TimeUnit.SECONDS);
    }

    private void print() {
        long sent = recorder.sentCount();
        Histogram last = recorder.interval();
        out.printf(Locale.ROOT, "[%s] %5.1fs sent=%d ack=%d err=%d rate=%d/s p99=%.2fms%n", phase,
                (System.nanoTime() - start) / 1e9, sent, recorder.acknowledgedCount(), recorder.errorCount(),
                sent - lastSent, last.getTotalCount() == 0 ? 0.0 : last.getValueAtPercentile(99.0) / 1e6);
        lastSent = sent;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
