package dev.mdmgw.gateway.service.escrow;

import dev.mdmgw.gateway.config.BootstrapKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's bootstrap-token key: generated once into {@code <data dir>/bootstrap-keys}
 * (owner-only, in MDMGW_BOOTSTRAP_KEYS format), so escrow works in development without setup.
 */
public final class DevelopmentKeys {
    private static final Logger log = LoggerFactory.getLogger(DevelopmentKeys.class);

    private DevelopmentKeys() {
    }

    public static BootstrapKeys ensure(Path dataDir) {
        Path file = dataDir.resolve("bootstrap-keys");
        try {
            if (!Files.isReadable(file)) {
                byte[] secret = new byte[32];
                new SecureRandom().nextBytes(secret);
                Files.createDirectories(dataDir);
                Path tmp = Files.createTempFile(dataDir, "bootstrap-keys", ".tmp");
                try {
                    try {
                        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                    } catch (UnsupportedOperationException e) {
                        // Not a POSIX file system: its default permissions apply.
                    }
                    Files.writeString(tmp, "dev1:" + Base64.getEncoder().encodeToString(secret) + "\n",
                            StandardCharsets.US_ASCII);
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                log.warn("generated a development bootstrap-token key into {}; set MDMGW_BOOTSTRAP_KEYS in production",
                        file.toAbsolutePath());
            }
            return BootstrapKeys.parse(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }
}
