package dev.mdmgw.persistence.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The OS account PostgreSQL's programs run as. That is the gateway's own account, except when
 * the gateway runs as root, which PostgreSQL refuses: then it is the owner of an existing
 * cluster, or else {@link ServiceAccount}, and programs are started through setpriv.
 */
final class RunAs {
    private final Account account;
    private final Path setpriv;

    private RunAs(Account account, Path setpriv) {
        this.account = account;
        this.setpriv = setpriv;
    }

    static RunAs forCluster(Path home) {
        int self = PosixFiles.effectiveUid();
        if (self != 0) {
            requireOwnedBySelf(home, self);
            return new RunAs(null, null);
        }
        Path setpriv = SystemCommand.find("setpriv").orElseThrow(() -> new EmbeddedPostgresException(
                "The gateway runs as root and PostgreSQL refuses to, so it must be started as an unprivileged "
                        + "user, which needs setpriv (package util-linux). Install it, run the gateway as a "
                        + "non-root user, or configure an external database."));
        if (Files.isDirectory(home) && PosixFiles.uid(home) != 0) {
            // The numeric owner works even when the image was rebuilt and the account name is gone.
            int uid = PosixFiles.uid(home);
            int gid = PosixFiles.gid(home);
            String name = Account.lookup(String.valueOf(uid)).map(Account::name).orElse("uid" + uid);
            return new RunAs(new Account(name, uid, gid), setpriv);
        }
        return new RunAs(ServiceAccount.findOrCreate(), setpriv);
    }

    boolean switchesUser() {
        return account != null;
    }

    List<String> wrap(List<String> command) {
        if (!switchesUser()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of(setpriv.toString(),
                "--reuid=" + account.uid(), "--regid=" + account.gid(), "--clear-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    void own(Path path) {
        if (switchesUser()) {
            PosixFiles.setOwner(path, account.uid(), account.gid());
        }
    }

    void ownTree(Path root) {
        if (!switchesUser()) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.forEach(this::own);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot hand " + root + " over to " + account, e);
        }
    }

    boolean owns(Path path) {
        return !switchesUser() || PosixFiles.uid(path) == account.uid();
    }

    /**
     * Fails, saying what to do, when the account could not reach {@code dir}. Checked here
     * because PostgreSQL's own error would only say "permission denied" somewhere in its log.
     */
    void requireCanEnter(Path dir) {
        firstBlocked(dir).ifPresent(step -> {
            int mode = PosixFiles.mode(step);
            throw new EmbeddedPostgresException(String.format(
                    "The gateway runs as root, so the embedded PostgreSQL runs as user %s, which cannot "
                            + "enter %s (mode %s, owner uid %d) on the way to %s. Choose a data directory "
                            + "that user can reach (e.g. MDMGW_DATA_DIR=/var/lib/mdmgw), let it through "
                            + "(chmod o+x %s), or run the gateway as a non-root user. The gateway does not "
                            + "change permissions of folders it did not create.",
                    account, step, PosixFiles.octal(mode), PosixFiles.uid(step), dir, step));
        });
    }

    /** The first folder on the way to {@code dir} (which must exist) the account may not enter. */
    Optional<Path> firstBlocked(Path dir) {
        if (!switchesUser()) {
            return Optional.empty();
        }
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot resolve " + dir, e);
        }
        for (Path step : PosixFiles.pathFromRoot(real)) {
            if (!canSearch(step, PosixFiles.mode(step))) {
                return Optional.of(step);
            }
        }
        return Optional.empty();
    }

    private boolean canSearch(Path dir, int mode) {
        // setpriv --clear-groups leaves only the primary group, so supplementary groups don't count.
        if (PosixFiles.uid(dir) == account.uid()) {
            return (mode & 0100) != 0;
        }
        if (PosixFiles.gid(dir) == account.gid()) {
            return (mode & 0010) != 0;
        }
        return (mode & 0001) != 0;
    }

    private static void requireOwnedBySelf(Path home, int self) {
        if (self == PosixFiles.UNKNOWN_UID || !Files.isDirectory(home) || PosixFiles.uid(home) == self) {
            return;
        }
        throw new EmbeddedPostgresException(String.format(
                "The embedded PostgreSQL in %s belongs to uid %d, but the gateway runs as uid %d. "
                        + "Run the gateway as that user, or as root (it then runs PostgreSQL as the owner).",
                home, PosixFiles.uid(home), self));
    }

    @Override
    public String toString() {
        return switchesUser() ? "user " + account + " via setpriv" : "the gateway's own user";
    }
}
