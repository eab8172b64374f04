package dev.mdmgw.gateway.http;

import dev.mdmgw.gateway.config.Settings;
import java.time.Duration;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The listening sockets: devices and the admin API on {@code MDMGW_HTTP_PORT}; metrics and health
 * on {@code MDMGW_MGMT_PORT}, or on the same socket when both ports are equal.
 */
public final class HttpServers {
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(65);

    private final DisposableServer http;
    private final DisposableServer mgmt;

    private HttpServers(DisposableServer http, DisposableServer mgmt) {
        this.http = http;
        this.mgmt = mgmt;
    }

    public static HttpServers bind(Settings settings, CheckinRoute checkin, AdminRoutes admin, OpsRoutes ops) {
        boolean shared = settings.mgmtOnHttpPort() && settings.httpPort() != 0;
        DisposableServer http = server(settings.httpPort(), new Router(checkin, admin, shared ? ops : null));
        DisposableServer mgmt = shared ? null : server(settings.mgmtPort(), new Router(null, null, ops));
        return new HttpServers(http, mgmt);
    }

    private static DisposableServer server(int port, Router router) {
        return HttpServer.create()
                .port(port)
                .idleTimeout(IDLE_TIMEOUT)
                .httpRequestDecoder(spec -> spec.maxHeaderSize(16 * 1024))
                .handle(router::route)
                .bindNow();
    }

    public int httpPort() {
        return http.port();
    }

    public int mgmtPort() {
        return mgmt == null ? http.port() : mgmt.port();
    }

    /** Stops accepting and waits up to {@code grace} for requests in flight to be answered. */
    public void close(Duration grace) {
        http.disposeNow(grace);
        if (mgmt != null) {
            mgmt.disposeNow(Duration.ofSeconds(1));
        }
    }
}
