package dev.mdmgw.persistence.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The small files kept beside the cluster (password, port, marker). Written whole through a
 * rename so a crash never leaves half a password, private to the cluster's account.
 */
final class ClusterFiles {
    private ClusterFiles() {}

    static void write(Path file, String content, RunAs runAs) {
        try {
            Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            PosixFiles.setMode(temp, "rw-------");
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            runAs.own(temp);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
