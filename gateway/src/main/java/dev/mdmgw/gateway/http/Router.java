package dev.mdmgw.gateway.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Dispatches on the raw path, counts requests for the drain, and is the last line against a 500.
 */
final class Router {
    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final CheckinRoute checkin;
    private final AdminRoutes admin;
    private final OpsRoutes ops;
    private final EnrollRoute enroll;
    private final Drain drain;

    /**
     * {@code checkin}, {@code admin} and {@code enroll} may be null (the management port), {@code ops}
     * too (the device port).
     */
    Router(CheckinRoute checkin, AdminRoutes admin, OpsRoutes ops, EnrollRoute enroll, Drain drain) {
        this.checkin = checkin;
        this.admin = admin;
        this.ops = ops;
        this.enroll = enroll;
        this.drain = drain;
    }

    Publisher<Void> route(HttpServerRequest req, HttpServerResponse res) {
        return drain.track(res, () -> Mono.defer(() -> Mono.from(dispatch(req, res)))
                .onErrorResume(e -> lastResort(res, e)));
    }

    /**
     * Every route answers its own failures; anything that still escapes is our bug, and Reactor
     * Netty would answer it with a 500. Say 503 instead: the device retries, nothing unenrolls.
     */
    private static Mono<Void> lastResort(HttpServerResponse res, Throwable e) {
        log.error("unhandled failure while answering a request; answering 503", e);
        if (res.hasSentHeaders()) {
            return Mono.empty();
        }
        return Responses.text(Responses.retryAfter(res), 503, "temporarily unavailable, retry later\n");
    }

    private Publisher<Void> dispatch(HttpServerRequest req, HttpServerResponse res) {
        String path = rawPath(req.uri());
        if (checkin != null && path.equals("/mdm/checkin")) {
            HttpMethod m = req.method();
            if (m.equals(HttpMethod.PUT) || m.equals(HttpMethod.POST)) {
                return checkin.handle(req, res);
            }
            res.header(HttpHeaderNames.ALLOW, "PUT, POST");
            return Responses.text(res, HttpResponseStatus.METHOD_NOT_ALLOWED.code(), "use PUT or POST\n");
        }
        if (admin != null && path.startsWith("/v1/")) {
            return admin.handle(req, res, path);
        }
        if (enroll != null && path.startsWith(EnrollRoute.PREFIX) && req.method().equals(HttpMethod.GET)) {
            return enroll.handle(path, res);
        }
        if (ops != null && ops.serves(path)) {
            return ops.handle(path, res);
        }
        return Responses.text(res, 404, "not found\n");
    }

    static String rawPath(String uri) {
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        int hash = path.indexOf('#');
        return hash < 0 ? path : path.substring(0, hash);
    }
}
