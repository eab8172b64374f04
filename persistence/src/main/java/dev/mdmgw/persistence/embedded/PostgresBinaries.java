package dev.mdmgw.persistence.embedded;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's programs, unpacked from the binaries jar zonky's resolver finds on the class
 * path. Unpacked once per archive content, into a folder named by its hash, so a newer jar
 * unpacks beside (and then replaces) the old one and an interrupted unpack is never used.
 */
final class PostgresBinaries {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresBinaries.class);
    private static final String STAGING_PREFIX = ".unpacking-";

    private final Path home;

    private PostgresBinaries(Path home) {
        this.home = home;
    }

    /** Callers hold the data directory lock, so no other process is using {@code root}. */
    static PostgresBinaries unpackInto(Path root) {
        byte[] archive = readArchive();
        Path target = root.resolve(hashOf(archive));
        try {
            if (!Files.isDirectory(target)) {
                long started = System.nanoTime();
                FileTree.createSearchable(root);
                Path staging = Files.createTempDirectory(root, STAGING_PREFIX);
                PosixFiles.setMode(staging, "rwxr-xr-x");
                TxzArchive.extract(archive, staging);
                try {
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                    // Only a shared root (tests) gets here: someone else unpacked the same archive.
                    FileTree.delete(staging);
                    return new PostgresBinaries(target);
                }
                LOG.info("Unpacked the PostgreSQL binaries into {} in {} ms",
                        target, (System.nanoTime() - started) / 1_000_000);
            }
            removeAllBut(root, target);
        } catch (IOException e) {
            throw new EmbeddedPostgresException("Cannot unpack the PostgreSQL binaries into " + root + ": " + e, e);
        }
        return new PostgresBinaries(target);
    }

    Path home() {
        return home;
    }

    String program(String name) {
        return home.resolve("bin").resolve(name).toString();
    }

    private static byte[] readArchive() {
        String system = system();
        String architecture = "amd64".equals(System.getProperty("os.arch")) ? "x86_64" : System.getProperty("os.arch");
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, architecture)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the PostgreSQL binaries archive", e);
        } catch (IllegalStateException e) {
            throw new EmbeddedPostgresException("No embedded PostgreSQL binaries for " + system + " " + architecture
                    + " are bundled; configure an external database instead", e);
        }
    }

    private static String system() {
        String os = System.getProperty("os.name");
        if (os.startsWith("Linux")) {
            return "Linux";
        }
        if (os.startsWith("Mac")) {
            return "Darwin";
        }
        throw new EmbeddedPostgresException("The embedded PostgreSQL does not run on " + os
                + "; configure an external database instead");
    }

    private static String hashOf(byte[] archive) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(archive);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    private static void removeAllBut(Path root, Path keep) {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(root)) {
            for (Path child : children) {
                if (!child.equals(keep)) {
                    LOG.info("Removing unused PostgreSQL binaries {}", child);
                    FileTree.delete(child);
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not remove unused PostgreSQL binaries under {}: {}", root, e.toString());
        }
    }
}
