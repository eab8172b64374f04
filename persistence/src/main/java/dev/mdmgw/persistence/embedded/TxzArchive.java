package dev.mdmgw.persistence.embedded;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Unpacks a tar.xz, the format zonky ships PostgreSQL in, giving every file and folder modes
 * that let any account read and run them: PostgreSQL may run as an account other than ours.
 */
final class TxzArchive {
    private static final int BUFFER = 1 << 16;

    private TxzArchive() {}

    static void extract(byte[] archive, Path target) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(
                new XZInputStream(new ByteArrayInputStream(archive)), BUFFER))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path out = inside(target, entry.getName());
                if (entry.isDirectory()) {
                    FileTree.createSearchable(out);
                    continue;
                }
                FileTree.createSearchable(out.getParent());
                if (entry.isSymbolicLink()) {
                    Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createLink(out, inside(target, entry.getLinkName()));
                } else if (entry.isFile()) {
                    Files.copy(tar, out);
                    boolean executable = (entry.getMode() & 0111) != 0;
                    PosixFiles.setMode(out, executable ? "rwxr-xr-x" : "rw-r--r--");
                } else {
                    throw new IOException("Unsupported entry in the PostgreSQL archive: " + entry.getName());
                }
            }
        }
    }

    private static Path inside(Path target, String name) throws IOException {
        Path resolved = target.resolve(name).normalize();
        if (!resolved.startsWith(target)) {
            throw new IOException("Archive entry outside its folder: " + name);
        }
        return resolved;
    }
}
