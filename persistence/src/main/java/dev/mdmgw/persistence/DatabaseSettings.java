package dev.mdmgw.persistence;

import java.time.Duration;

/**
 * How to reach PostgreSQL and how hard to drive it.
 *
 * @param url                {@code postgresql://user:pass@host:port/db} or {@code r2dbc:postgresql://...}
 * @param poolMaxSize        connections at most; also the most write batches in flight at once
 * @param writeQueueCapacity writes that may wait for a batch; one more is refused (503) at once
 * @param maxBatchSize       writes in one batch at most
 * @param batchWindow        how long a partial batch waits for company while another batch is in flight
 * @param statementTimeout   the server-side {@code statement_timeout} of every connection
 * @param maxQueueWait       how long a write may wait in the queue for a batch; older ones fail
 *                           (503) instead of being sent, since their device has given up by then
 */
public record DatabaseSettings(
        String url,
        int poolMaxSize,
        int writeQueueCapacity,
        int maxBatchSize,
        Duration batchWindow,
        Duration statementTimeout,
        Duration maxQueueWait) {

    public static final int DEFAULT_MAX_BATCH_SIZE = 256;
    public static final Duration DEFAULT_BATCH_WINDOW = Duration.ofMillis(1);
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Long enough for a healthy but busy database (a batch commits in milliseconds), short enough
     * that a device still waits for the 503 when the database stalls.
     */
    public static final Duration DEFAULT_MAX_QUEUE_WAIT = Duration.ofSeconds(5);

    /** A queued write is far smaller than this; the margin covers its request's other state. */
    private static final long HEAP_BYTES_PER_QUEUED_WRITE = 32 * 1024;

    public DatabaseSettings {
        PostgresUrl.parse(url);
        if (poolMaxSize < 1) {
            throw new IllegalArgumentException("poolMaxSize must be at least 1");
        }
        if (writeQueueCapacity < 1) {
            throw new IllegalArgumentException("writeQueueCapacity must be at least 1");
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be at least 1");
        }
        if (batchWindow == null || batchWindow.isNegative()) {
            throw new IllegalArgumentException("batchWindow must be zero or positive");
        }
        if (statementTimeout == null || statementTimeout.isNegative() || statementTimeout.isZero()) {
            throw new IllegalArgumentException("statementTimeout must be positive");
        }
        if (maxQueueWait == null || maxQueueWait.isNegative() || maxQueueWait.isZero()) {
            throw new IllegalArgumentException("maxQueueWait must be positive");
        }
    }

    public static DatabaseSettings defaults(String url) {
        return new DatabaseSettings(url, defaultPoolMaxSize(), defaultWriteQueueCapacity(), DEFAULT_MAX_BATCH_SIZE,
                DEFAULT_BATCH_WINDOW, DEFAULT_STATEMENT_TIMEOUT, DEFAULT_MAX_QUEUE_WAIT);
    }

    public static int defaultPoolMaxSize() {
        return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }

    public static int defaultWriteQueueCapacity() {
        long perHeap = Runtime.getRuntime().maxMemory() / HEAP_BYTES_PER_QUEUED_WRITE;
        return (int) Math.max(1024, Math.min(262_144, perHeap));
    }

    public PostgresUrl parsedUrl() {
        return PostgresUrl.parse(url);
    }

    public DatabaseSettings withUrl(String value) {
        return new DatabaseSettings(value, poolMaxSize, writeQueueCapacity, maxBatchSize, batchWindow, statementTimeout, maxQueueWait);
    }

    public DatabaseSettings withPoolMaxSize(int value) {
        return new DatabaseSettings(url, value, writeQueueCapacity, maxBatchSize, batchWindow, statementTimeout, maxQueueWait);
    }

    public DatabaseSettings withWriteQueueCapacity(int value) {
        return new DatabaseSettings(url, poolMaxSize, value, maxBatchSize, batchWindow, statementTimeout, maxQueueWait);
    }

    public DatabaseSettings withMaxBatchSize(int value) {
        return new DatabaseSettings(url, poolMaxSize, writeQueueCapacity, value, batchWindow, statementTimeout, maxQueueWait);
    }

    public DatabaseSettings withBatchWindow(Duration value) {
        return new DatabaseSettings(url, poolMaxSize, writeQueueCapacity, maxBatchSize, value, statementTimeout, maxQueueWait);
    }

    public DatabaseSettings withStatementTimeout(Duration value) {
        return new DatabaseSettings(url, poolMaxSize, writeQueueCapacity, maxBatchSize, batchWindow, value, maxQueueWait);
    }

    public DatabaseSettings withMaxQueueWait(Duration value) {
        return new DatabaseSettings(url, poolMaxSize, writeQueueCapacity, maxBatchSize, batchWindow, statementTimeout, value);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "DatabaseSettings[url=" + parsedUrl() + ", poolMaxSize=" + poolMaxSize + ", writeQueueCapacity="
                + writeQueueCapacity + ", maxBatchSize=" + maxBatchSize + ", batchWindow=" + batchWindow
                + ", statementTimeout=" + statementTimeout + ", maxQueueWait=" + maxQueueWait + "]";
    }
}
