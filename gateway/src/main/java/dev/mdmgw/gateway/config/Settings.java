package dev.mdmgw.gateway.config;

import dev.mdmgw.gateway.mdm.MdmTopic;
import dev.mdmgw.persistence.PostgresUrl;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway's settings, read from {@code MDMGW_*} environment variables (CONTRACT.md). Every
 * value is checked here, at start, so a typo fails the boot with a message instead of surfacing
 * under load.
 */
public record Settings(
        int httpPort,
        int mgmtPort,
        Optional<String> dbUrl,
        Optional<Integer> dbPoolMax,
        Optional<String> adminApiKey,
        Set<String> topics,
        int maxBodyBytes,
        Path dataDir,
        Optional<Integer> writeQueueCapacity,
        int shutdownGraceSeconds,
        int shutdownDelaySeconds,
        Identity identity,
        Optional<BootstrapKeys> bootstrapKeys,
        Optional<String> serverUuid,
        Optional<Path> tokenSigningKeyFile,
        Optional<URI> ddmUrl,
        Optional<String> ddmHmacKey,
        int ddmTimeoutSeconds,
        Optional<byte[]> watchPairingKey,
        Optional<String> publicUrl,
        Optional<Path> profileSigningCertFile,
        Optional<Path> profileSigningKeyFile) {

    /**
     * How devices prove who they are. {@code caFile} empty means: generate a development CA (only
     * with the embedded database); {@code certHeader} is set in {@code header} mode, the TLS files
     * in {@code tls} mode.
     */
    public record Identity(
            DeviceAuth mode,
            Optional<Path> caFile,
            Optional<String> certHeader,
            Optional<Path> tlsCertFile,
            Optional<Path> tlsKeyFile,
            boolean retro,
            int cacheSeconds,
            int cacheSize) {
    }

    public static Settings fromEnv() {
        return from(System.getenv());
    }

    public static Settings from(Map<String, String> env) {
        EnvReader r = new EnvReader(env);
        Set<String> topics = Set.copyOf(r.list("MDMGW_TOPICS"));
        for (String t : topics) {
            if (!MdmTopic.isValid(t)) {
                throw new IllegalArgumentException("MDMGW_TOPICS: " + t + " is not " + MdmTopic.PREFIX + "<suffix>");
            }
        }
        Optional<String> dbUrl = r.string("MDMGW_DB_URL");
        dbUrl.ifPresent(url -> {
            try {
                PostgresUrl.parse(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("MDMGW_DB_URL: " + e.getMessage(), e);
            }
        });
        r.string("MDMGW_LOG_FORMAT").ifPresent(format -> {
            if (!format.equals("json") && !format.equals("text")) {
                throw new IllegalArgumentException("MDMGW_LOG_FORMAT must be json or text, got " + format);
            }
        });
        int httpPort = r.port("MDMGW_HTTP_PORT", 8080);
        int mgmtPort = r.port("MDMGW_MGMT_PORT", 9090);
        Identity identity = identity(r, dbUrl.isPresent());
        if (identity.mode() == DeviceAuth.TLS && httpPort == mgmtPort && httpPort != 0) {
            throw new IllegalArgumentException("MDMGW_DEVICE_AUTH=tls needs MDMGW_MGMT_PORT apart from MDMGW_HTTP_PORT: "
                    + "probes and scrapes have no device certificate");
        }
        int grace = r.positiveInt("MDMGW_SHUTDOWN_GRACE_SECONDS").orElse(25);
        int delay = r.nonNegativeInt("MDMGW_SHUTDOWN_DELAY_SECONDS").orElse(0);
        if (delay >= grace) {
            throw new IllegalArgumentException("MDMGW_SHUTDOWN_DELAY_SECONDS (" + delay + ") must be shorter than "
                    + "MDMGW_SHUTDOWN_GRACE_SECONDS (" + grace + "): the delay is part of the grace period");
        }
        Optional<Path> signingCert = r.file("MDMGW_PROFILE_SIGNING_CERT_FILE");
        Optional<Path> signingKey = r.file("MDMGW_PROFILE_SIGNING_KEY_FILE");
        if (signingCert.isPresent() != signingKey.isPresent()) {
            throw new IllegalArgumentException("MDMGW_PROFILE_SIGNING_CERT_FILE and MDMGW_PROFILE_SIGNING_KEY_FILE go together");
        }
        return new Settings(
                httpPort,
                mgmtPort,
                dbUrl,
                r.positiveInt("MDMGW_DB_POOL_MAX"),
                r.string("MDMGW_ADMIN_API_KEY"),
                topics,
                r.positiveInt("MDMGW_MAX_BODY_BYTES").orElse(1_048_576),
                Path.of(r.string("MDMGW_DATA_DIR").orElse("./data")),
                r.positiveInt("MDMGW_WRITE_QUEUE_CAPACITY"),
                grace,
                delay,
                identity,
                r.string("MDMGW_BOOTSTRAP_KEYS").map(BootstrapKeys::parse),
                r.string("MDMGW_SERVER_UUID"),
                r.file("MDMGW_TOKEN_SIGNING_KEY_FILE"),
                r.string("MDMGW_DDM_URL").map(url -> httpUrl("MDMGW_DDM_URL", url)),
                r.string("MDMGW_DDM_HMAC_KEY"),
                r.positiveInt("MDMGW_DDM_TIMEOUT_SECONDS").orElse(10),
                r.string("MDMGW_WATCH_PAIRING_KEY").map(Settings::secret),
                r.string("MDMGW_PUBLIC_URL").map(url -> httpUrl("MDMGW_PUBLIC_URL", url).toString()),
                signingCert,
                signingKey);
    }

    private static Identity identity(EnvReader r, boolean externalDatabase) {
        DeviceAuth mode = r.string("MDMGW_DEVICE_AUTH").map(DeviceAuth::parse).orElse(DeviceAuth.SIGNATURE);
        Optional<Path> caFile = r.file("MDMGW_DEVICE_CA_FILE");
        if (mode != DeviceAuth.NONE && caFile.isEmpty() && externalDatabase) {
            throw new IllegalArgumentException("MDMGW_DEVICE_CA_FILE is required with MDMGW_DEVICE_AUTH=" + mode.wireName()
                    + " (only the embedded development database generates a CA of its own)");
        }
        Optional<String> certHeader = r.string("MDMGW_CERT_HEADER");
        if (mode == DeviceAuth.HEADER && certHeader.isEmpty()) {
            throw new IllegalArgumentException("MDMGW_DEVICE_AUTH=header needs MDMGW_CERT_HEADER, the header the proxy "
                    + "puts the client certificate in");
        }
        Optional<Path> tlsCert = r.file("MDMGW_TLS_CERT_FILE");
        Optional<Path> tlsKey = r.file("MDMGW_TLS_KEY_FILE");
        if (mode == DeviceAuth.TLS && (tlsCert.isEmpty() || tlsKey.isEmpty())) {
            throw new IllegalArgumentException("MDMGW_DEVICE_AUTH=tls needs MDMGW_TLS_CERT_FILE and MDMGW_TLS_KEY_FILE");
        }
        if (mode == DeviceAuth.TLS && caFile.isEmpty()) {
            throw new IllegalArgumentException("MDMGW_DEVICE_AUTH=tls needs MDMGW_DEVICE_CA_FILE for the TLS handshake");
        }
        return new Identity(mode, caFile, certHeader, tlsCert, tlsKey, r.bool("MDMGW_CERT_RETRO"),
                r.positiveInt("MDMGW_CERT_CACHE_SECONDS").orElse(30),
                r.positiveInt("MDMGW_CERT_CACHE_SIZE").orElse(100_000));
    }

    private static byte[] secret(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("MDMGW_WATCH_PAIRING_KEY must be base64");
        }
        if (key.length < 32) {
            throw new IllegalArgumentException("MDMGW_WATCH_PAIRING_KEY must hold at least 32 bytes, has " + key.length);
        }
        return key;
    }

    private static URI httpUrl(String name, String value) {
        try {
            URI uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getRawQuery() != null) {
                throw new URISyntaxException(value, "needs http(s)://host[:port][/path], no query");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    /** The management port shares the HTTP server when both name the same port. */
    public boolean mgmtOnHttpPort() {
        return mgmtPort == httpPort;
    }

    private record EnvReader(Map<String, String> env) {
        Optional<String> string(String name) {
            String v = env.get(name);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }

        Optional<Path> file(String name) {
            return string(name).map(v -> {
                Path p = Path.of(v);
                if (!Files.isReadable(p)) {
                    throw new IllegalArgumentException(name + ": cannot read " + v);
                }
                return p;
            });
        }

        boolean bool(String name) {
            return string(name).map(v -> {
                if (v.equalsIgnoreCase("true")) {
                    return true;
                }
                if (v.equalsIgnoreCase("false")) {
                    return false;
                }
                throw new IllegalArgumentException(name + " must be true or false, got " + v);
            }).orElse(false);
        }

        List<String> list(String name) {
            return string(name).map(v -> List.of(v.split(",")).stream().map(String::trim)
                    .filter(s -> !s.isEmpty()).toList()).orElse(List.of());
        }

        Optional<Integer> positiveInt(String name) {
            return string(name).map(v -> {
                int n = parse(name, v);
                if (n <= 0) {
                    throw new IllegalArgumentException(name + " must be positive, got " + v);
                }
                return n;
            });
        }

        Optional<Integer> nonNegativeInt(String name) {
            return string(name).map(v -> {
                int n = parse(name, v);
                if (n < 0) {
                    throw new IllegalArgumentException(name + " must not be negative, got " + v);
                }
                return n;
            });
        }

        int port(String name, int fallback) {
            int p = string(name).map(v -> parse(name, v)).orElse(fallback);
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException(name + " must be a port number, got " + p);
            }
            return p;
        }

        private static int parse(String name, String v) {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a whole number, got " + v, e);
            }
        }
    }
}
