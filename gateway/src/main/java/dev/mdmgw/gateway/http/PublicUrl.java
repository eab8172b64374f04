package dev.mdmgw.gateway.http;

import java.util.function.Supplier;

/**
 * The gateway's external base URL ({@code MDMGW_PUBLIC_URL}), for enrollment links and profiles;
 * without it {@code http://localhost:<port>}, known only once the port is bound.
 */
public final class PublicUrl implements Supplier<String> {
    private volatile String base;

    public PublicUrl(String configured) {
        this.base = configured == null ? null : strip(configured);
    }

    /** Called once the HTTP port is bound; keeps a configured URL. */
    public void defaultToPort(int port) {
        if (base == null) {
            base = "http://localhost:" + port;
        }
    }

    @Override
    public String get() {
        return base;
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
