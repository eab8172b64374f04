package dev.mdmgw.persistence;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code postgresql://user:pass@host:port/db?sslmode=...} (or {@code r2dbc:postgresql://...})
 * URL. User and password are percent-decoded. Only the query parameters that both drivers (R2DBC
 * for traffic, JDBC for migrations) honour are accepted: an operator who sets one we would ignore
 * learns it at start rather than in an incident.
 */
public record PostgresUrl(String host, int port, String database, String user, String password, Map<String, String> params) {

    public static final Set<String> SUPPORTED_PARAMS = Set.of("sslmode", "sslrootcert");
    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    public PostgresUrl {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("database URL has no host");
        }
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("database URL has an invalid port: " + port);
        }
        params = Map.copyOf(params);
        String sslmode = params.get("sslmode");
        if (sslmode != null && !SSL_MODES.contains(sslmode)) {
            throw new IllegalArgumentException("unsupported sslmode " + sslmode + "; one of " + SSL_MODES);
        }
    }

    public static PostgresUrl parse(String url) {
        if (url == null) {
            throw new IllegalArgumentException("database URL is missing");
        }
        String rest = url.strip();
        if (rest.startsWith("r2dbc:")) {
            rest = rest.substring("r2dbc:".length());
        }
        if (rest.startsWith("postgresql://")) {
            rest = rest.substring("postgresql://".length());
        } else if (rest.startsWith("postgres://")) {
            rest = rest.substring("postgres://".length());
        } else {
            throw new IllegalArgumentException("database URL must start with postgresql:// or r2dbc:postgresql://");
        }

        Map<String, String> params = new LinkedHashMap<>();
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (!SUPPORTED_PARAMS.contains(key)) {
                    throw new IllegalArgumentException("unsupported database URL parameter '" + key + "'; supported: " + SUPPORTED_PARAMS);
                }
                params.put(key, value);
            }
            rest = rest.substring(0, q);
        }

        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }

        String database = null;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            database = decode(rest.substring(slash + 1));
            rest = rest.substring(0, slash);
        }

        String host;
        int port = 5432;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("database URL has an unterminated IPv6 address");
            }
            host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (after.startsWith(":")) {
                port = parsePort(after.substring(1));
            } else if (!after.isEmpty()) {
                throw new IllegalArgumentException("database URL has garbage after the host");
            }
        } else {
            int colon = rest.lastIndexOf(':');
            host = colon < 0 ? rest : rest.substring(0, colon);
            if (colon >= 0) {
                port = parsePort(rest.substring(colon + 1));
            }
        }

        if (user == null || user.isEmpty()) {
            user = "postgres";
        }
        if (database == null || database.isEmpty()) {
            database = user; // libpq's rule, so the same URL means the same database everywhere
        }
        if (password != null && password.isEmpty()) {
            password = null;
        }
        return new PostgresUrl(host, port, database, user, password, params);
    }

    public PostgresUrl withDatabase(String name) {
        return new PostgresUrl(host, port, name, user, password, params);
    }

    public String sslMode() {
        return params.getOrDefault("sslmode", "disable");
    }

    /** The URL again, percent-encoded, password included: for configuration, never for logs. */
    public String format() {
        StringBuilder b = new StringBuilder("postgresql://").append(encode(user));
        if (password != null) {
            b.append(':').append(encode(password));
        }
        b.append('@').append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port)
                .append('/').append(encode(database));
        String sep = "?";
        for (Map.Entry<String, String> p : params.entrySet()) {
            b.append(sep).append(encode(p.getKey())).append('=').append(encode(p.getValue()));
            sep = "&";
        }
        return b.toString();
    }

    /** Safe to log: no password. */
    @Override
    public String toString() {
        return "postgresql://" + user + (password == null ? "" : ":***") + "@" + host + ":" + port + "/" + database;
    }

    private static int parsePort(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("database URL has an invalid port: " + s);
        }
    }

    /** Percent-decoding only: unlike form decoding, '+' stays '+', which passwords contain. */
    private static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            int pct = s.indexOf('%', i);
            int end = pct < 0 ? s.length() : pct;
            out.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
            if (pct < 0) {
                break;
            }
            int hi = pct + 2 < s.length() ? Character.digit(s.charAt(pct + 1), 16) : -1;
            int lo = pct + 2 < s.length() ? Character.digit(s.charAt(pct + 2), 16) : -1;
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("database URL has an invalid percent-escape");
            }
            out.write(hi << 4 | lo);
            i = pct + 3;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte raw : s.getBytes(StandardCharsets.UTF_8)) {
            int c = raw & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return b.toString();
    }
}
