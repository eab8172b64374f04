package dev.mdmgw.persistence.embedded;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Test helpers: a data directory PostgreSQL's account can reach, and JDBC from {@code url()}. */
final class TestDataDir {
    private static Path sharedBinaries;

    private TestDataDir() {}

    /**
     * Under /tmp rather than JUnit's @TempDir, which is mode 0700: as root, PostgreSQL runs as
     * another account that must be able to pass through it.
     */
    static Path create() throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "mdmgw-embedded-pg-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /**
     * Starts on {@code dataDir} with the binaries unpacked once per test JVM, which saves each
     * test a second or so; the public {@link EmbeddedPostgres#start(Path)} is tested as well.
     */
    static EmbeddedPostgres start(Path dataDir) throws IOException {
        return EmbeddedPostgres.start(ClusterLayout.under(dataDir).withBinariesIn(sharedBinaries()));
    }

    static synchronized Path sharedBinaries() throws IOException {
        if (sharedBinaries == null) {
            sharedBinaries = create();
            Path root = sharedBinaries;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    delete(root);
                } catch (IOException ignored) {
                    // Left in /tmp.
                }
            }));
        }
        return sharedBinaries;
    }

    static void delete(Path dir) throws IOException {
        if (dir != null) {
            FileTree.delete(dir);
        }
    }

    static Connection connect(String url) throws SQLException {
        URI uri = URI.create(url);
        String[] userInfo = uri.getUserInfo().split(":", 2);
        return DriverManager.getConnection(
                "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(), userInfo[0], userInfo[1]);
    }
}
