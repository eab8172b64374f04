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
 * The embedded default's secrets, generated once into the data dir (owner-only) so escrow and watch
 * pairing work in development without setup: {@code bootstrap-keys} (MDMGW_BOOTSTRAP_KEYS format)
 * and {@code watch-pairing-key} (base64).
 */
public final class DevelopmentKeys {
    private static final Logger log = LoggerFactory.getLogger(DevelopmentKeys.class);

    private DevelopmentKeys() {
    }

    /** The embedded default's watch-pairing key, generated once into {@code <data dir>/watch-pairing-key}. */
    public static byte[] watchPairingKey(Path dataDir) {
        Path file = dataDir.resolve("watch-pairing-key");
        try {
            if (!Files.isReadable(file)) {
                byte[] secret = new byte[32];
                new SecureRandom().nextBytes(secret);
                writeOwnerOnly(dataDir, file, Base64.getEncoder().encodeToString(secret) + "\n");
            }
            return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    public static BootstrapKeys bootstrapKeys(Path dataDir) {
        Path file = dataDir.resolve("bootstrap-keys");
        try {
            if (!Files.isReadable(file)) {
                byte[] secret = new byte[32];
                new SecureRandom().nextBytes(secret);
                writeOwnerOnly(dataDir, file, "dev1:" + Base64.getEncoder().encodeToString(secret) + "\n");
                log.warn("generated a development bootstrap-token key into {}; set MDMGW_BOOTSTRAP_KEYS in production",
                        file.toAbsolutePath());
            }
            return BootstrapKeys.parse(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    private static void writeOwnerOnly(Path dir, Path file, String content) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: its default permissions apply.
            }
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
