package dev.mdmgw.persistence.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the quick start working as root from a home folder. PostgreSQL must run unprivileged,
 * and that account cannot pass through a folder like {@code /root} (mode 0700) to reach
 * {@code ./data}. Rather than change the permissions of folders the gateway did not create, the
 * cluster then lives in a folder of its own under {@code fallbackRoot}, one per data directory,
 * with a link to it in the data directory. Data still survives restarts.
 */
final class ReachableLayout {
    static final Path DEFAULT_FALLBACK_ROOT = Path.of("/var/lib/mdmgw/embedded");
    static final String LINK_NAME = "embedded-postgres";
    private static final Logger LOG = LoggerFactory.getLogger(ReachableLayout.class);

    private ReachableLayout() {
    }

    static ClusterLayout choose(ClusterLayout wanted, Path fallbackRoot) {
        if (PosixFiles.effectiveUid() != 0) {
            return wanted;
        }
        try {
            FileTree.createSearchable(wanted.dataDir());
            Optional<Path> blocked = RunAs.forCluster(wanted.home()).firstBlocked(wanted.dataDir());
            if (blocked.isEmpty()) {
                return wanted;
            }
            Path elsewhere = fallbackRoot.toAbsolutePath().normalize().resolve(idOf(wanted.dataDir()));
            FileTree.createSearchable(elsewhere);
            Path link = wanted.dataDir().resolve(LINK_NAME);
            if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, elsewhere);
            }
            LOG.warn("The unprivileged PostgreSQL account cannot pass through {} to reach {}; the embedded "
                    + "cluster lives in {} instead ({} points there). Set MDMGW_DATA_DIR to a reachable folder "
                    + "to keep it in the data directory.", blocked.get(), wanted.dataDir(), elsewhere, link);
            return ClusterLayout.under(elsewhere);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the embedded PostgreSQL for " + wanted.dataDir(), e);
        }
    }

    /** Stable per data directory, so a restart finds the same cluster. */
    private static String idOf(Path dataDir) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(dataDir.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
