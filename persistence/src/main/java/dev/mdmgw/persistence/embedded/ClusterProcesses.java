package dev.mdmgw.persistence.embedded;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The processes working in a cluster's data folder. The postmaster and every backend it forks
 * run with PGDATA as working directory, so this sees a postmaster left behind by a killed
 * gateway, and any backend that outlived it, which postmaster.pid alone cannot tell apart from
 * an unrelated process that reused the pid.
 */
final class ClusterProcesses {
    private static final Path PROC = Path.of("/proc");

    private ClusterProcesses() {}

    /** Empty when this system has no procfs to tell. */
    static Optional<Set<Long>> workingIn(Path pgdata) {
        if (!Files.isDirectory(PROC.resolve("self"))) {
            return Optional.empty();
        }
        Path target;
        try {
            target = pgdata.toRealPath();
        } catch (IOException e) {
            return Optional.of(Set.of());
        }
        Set<Long> pids = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
            for (Path entry : entries) {
                if (target.equals(cwdOf(entry))) {
                    pids.add(Long.parseLong(entry.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(pids);
    }

    private static Path cwdOf(Path procEntry) {
        try {
            return Files.readSymbolicLink(procEntry.resolve("cwd"));
        } catch (IOException | SecurityException e) {
            // Gone meanwhile, or another user's: not a process of our cluster's account.
            return null;
        }
    }

    private static boolean isNumber(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }
}
