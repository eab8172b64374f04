package dev.mdmgw.gateway.config;

import dev.mdmgw.gateway.mdm.MdmTopic;
import dev.mdmgw.persistence.PostgresUrl;
import java.nio.file.Path;
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
        int shutdownGraceSeconds) {

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
        return new Settings(
                r.port("MDMGW_HTTP_PORT", 8080),
                r.port("MDMGW_MGMT_PORT", 9090),
                dbUrl,
                r.positiveInt("MDMGW_DB_POOL_MAX"),
                r.string("MDMGW_ADMIN_API_KEY"),
                topics,
                r.positiveInt("MDMGW_MAX_BODY_BYTES").orElse(1_048_576),
                Path.of(r.string("MDMGW_DATA_DIR").orElse("./data")),
                r.positiveInt("MDMGW_WRITE_QUEUE_CAPACITY"),
                r.positiveInt("MDMGW_SHUTDOWN_GRACE_SECONDS").orElse(25));
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
