package dev.mdmgw.gateway.http;

import dev.mdmgw.gateway.config.Settings;
import dev.mdmgw.gateway.metrics.ConnectionMeter;
import dev.mdmgw.gateway.metrics.GatewayMetrics;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.HttpResources;
import reactor.netty.http.server.HttpServer;

/**
 * The listening sockets: devices and the admin API on {@code MDMGW_HTTP_PORT}; metrics and health
 * on {@code MDMGW_MGMT_PORT}, or on the same socket when both ports are equal.
 */
public final class HttpServers {
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(65);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(HttpServers.class);

    private final DisposableServer http;
    private final Drain drain;
    private final DisposableServer mgmt;

    private HttpServers(DisposableServer http, Drain drain, DisposableServer mgmt) {
        this.http = http;
        this.drain = drain;
        this.mgmt = mgmt;
    }

    /**
     * With {@code deviceTls} the device port requires a device certificate, which admin clients
     * do not have: the admin API then moves to the management port. {@code tlsFailures} watches
     * that port's handshakes.
     */
    public static HttpServers bind(Settings settings, CheckinRoute checkin, AdminRoutes admin, OpsRoutes ops,
            EnrollRoute enroll, Drain drain, SslContext deviceTls, ChannelHandler tlsFailures, GatewayMetrics metrics) {
        boolean shared = settings.mgmtOnHttpPort() && settings.httpPort() != 0;
        boolean adminOnMgmt = deviceTls != null;
        DisposableServer http = server(settings.httpPort(),
                new Router(checkin, adminOnMgmt ? null : admin, shared ? ops : null,
                        adminOnMgmt ? null : enroll, drain), deviceTls, tlsFailures,
                metrics.connections("device"));
        try {
            // Probes and scrapes keep their connections while the device port drains.
            DisposableServer mgmt = shared ? null
                    : server(settings.mgmtPort(), new Router(null, adminOnMgmt ? admin : null, ops,
                            adminOnMgmt ? enroll : null, new Drain()), null, null,
                            metrics.connections("mgmt"));
            // The loops the servers just bound on (NIO: native transports are excluded).
            metrics.eventLoops(HttpResources.get().onServer(true));
            return new HttpServers(http, drain, mgmt);
        } catch (RuntimeException e) {
            http.disposeNow();
            throw e;
        }
    }

    private static DisposableServer server(int port, Router router, SslContext tls, ChannelHandler tlsFailures,
            ConnectionMeter connections) {
        // Per channel: doOnConnection runs again for every request of a keep-alive connection, and
        // each onDispose it registered stayed on the channel's close future until the channel
        // closed (a leak, and a linear scan of that list at the end of every request).
        HttpServer server = HttpServer.create()
                .doOnChannelInit((observer, channel, address) -> {
                    connections.opened();
                    channel.closeFuture().addListener(closed -> connections.closed());
                });
        if (tls != null) {
            server = server.secure(spec -> spec.sslContext(tls))
                    // Runs after Reactor Netty's own initialisation, so its SslHandler is in place.
                    .doOnChannelInit((observer, channel, address) -> {
                        if (tlsFailures != null && channel.pipeline().get(NettyPipeline.SslHandler) != null) {
                            channel.pipeline().addAfter(NettyPipeline.SslHandler, "mdmgw.tlsFailures", tlsFailures);
                        }
                    });
        }
        return server
                .port(port)
                .idleTimeout(IDLE_TIMEOUT)
                // A client that stops sending its request mid-way is cut off (408) instead of holding
                // its buffer and its place in the drain for ever. One timer a request; Reactor
                // Netty's readTimeout (between reads) added and removed a handler on every request
                // (~3% of the gateway's CPU per TokenUpdate), for bodies that arrive in one read.
                .requestTimeout(REQUEST_TIMEOUT)
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

    /**
     * Drains the device port: at once {@code /readyz} answers 503 and every answer carries
     * {@code Connection: close}; for {@code delay} new connections are still accepted (load
     * balancers and Services take a moment to stop routing here); then the port stops accepting and
     * this waits until no request is in flight, all within {@code grace}. The management port stays
     * up ({@link #closeManagement}) so probes and scrapes see the drain.
     */
    public void drainDevicePort(Duration grace, Duration delay) {
        long deadline = System.nanoTime() + grace.toNanos();
        drain.start();
        if (!delay.isZero()) {
            log.info("readiness is 503; still accepting connections for {} while load balancers stop routing here", delay);
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        try {
            http.disposeNow(left);
        } catch (IllegalStateException e) {
            log.warn("device port did not close within {}", grace);
        }
        left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        if (!drain.awaitIdle(left)) {
            log.warn("requests still in flight after the grace period of {}", grace);
        }
    }

    public void closeManagement() {
        if (mgmt != null) {
            try {
                mgmt.disposeNow(Duration.ofSeconds(1));
            } catch (IllegalStateException e) {
                log.warn("management port did not close in time");
            }
        }
    }
}
