package dev.mdmgw.persistence.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a second gateway off a data directory whose PostgreSQL this one runs. Holding it is
 * also what lets a start treat a postmaster still running on the cluster as orphaned.
 */
final class DataDirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirLock acquire(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new EmbeddedPostgresException("Cannot open " + file + " (" + e + "); the data directory "
                    + "must be writable by the user running the gateway", e);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new DataDirLock(channel, lock);
            }
        } catch (OverlappingFileLockException e) {
            // Another EmbeddedPostgres in this JVM holds it: same answer as another process.
        } catch (IOException e) {
            closeQuietly(channel);
            throw new EmbeddedPostgresException("Cannot lock " + file + ": " + e.getMessage(), e);
        }
        closeQuietly(channel);
        throw new EmbeddedPostgresException("The data directory " + file.getParent()
                + " is in use by another running gateway; stop it or choose another data directory");
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel below releases it all the same.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing useful to do: the lock dies with the process anyway.
        }
    }
}
