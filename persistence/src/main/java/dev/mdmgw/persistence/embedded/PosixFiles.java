package dev.mdmgw.persistence.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.List;

/** Numeric owners and modes of files, which the JDK only exposes through the "unix" view. */
final class PosixFiles {
    private PosixFiles() {}

    static final int UNKNOWN_UID = -1;

    /** The effective uid (the one PostgreSQL checks), or {@link #UNKNOWN_UID} without procfs. */
    static int effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    // Real, effective, saved, filesystem.
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: fall through to the account name.
        }
        return "root".equals(System.getProperty("user.name")) ? 0 : UNKNOWN_UID;
    }

    static int uid(Path path) {
        return (Integer) attribute(path, "unix:uid");
    }

    static int gid(Path path) {
        return (Integer) attribute(path, "unix:gid");
    }

    static int mode(Path path) {
        return (Integer) attribute(path, "unix:mode") & 07777;
    }

    static void setOwner(Path path, int uid, int gid) {
        try {
            Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot change the owner of " + path, e);
        }
    }

    /** Sets the permission bits exactly, whatever the umask let a create call give. */
    static void setMode(Path path, String rwx) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(rwx));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot change the permissions of " + path, e);
        }
    }

    static String octal(int mode) {
        return String.format("%04o", mode);
    }

    /** The folder and each of its parents, outermost first. */
    static List<Path> pathFromRoot(Path dir) {
        ArrayDeque<Path> chain = new ArrayDeque<>();
        for (Path p = dir; p != null; p = p.getParent()) {
            chain.addFirst(p);
        }
        return List.copyOf(chain);
    }

    private static Object attribute(Path path, String name) {
        try {
            return Files.getAttribute(path, name, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + name + " of " + path, e);
        }
    }
}
