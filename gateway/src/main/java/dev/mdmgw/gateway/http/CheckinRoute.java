package dev.mdmgw.gateway.http;

import dev.mdmgw.gateway.identity.DeviceIdentityVerifier;
import dev.mdmgw.gateway.identity.RawCheckin;
import dev.mdmgw.gateway.mdm.EnrollmentRef;
import dev.mdmgw.gateway.metrics.GatewayMetrics;
import dev.mdmgw.gateway.plist.BadMessageException;
import dev.mdmgw.gateway.plist.CheckinDecoder;
import dev.mdmgw.gateway.service.CheckinContext;
import dev.mdmgw.gateway.service.CheckinRejectedException;
import dev.mdmgw.gateway.service.CheckinReply;
import dev.mdmgw.gateway.service.CheckinService;
import dev.mdmgw.gateway.service.ServiceUnavailableException;
import dev.mdmgw.persistence.StoreOverloadedException;
import dev.mdmgw.persistence.StoreUnavailableException;
import dev.mdmgw.persistence.write.WriteClock;
import io.netty.channel.ChannelException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.slf4j.spi.NOPLoggingEventBuilder;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@code PUT|POST /mdm/checkin}: read the body (bounded), decode it on the decode scheduler,
 * check the device's identity, hand it to the service, answer. Every failure becomes a status the
 * device understands: 400 bad input, 403 refused identity or topic, 413, 415, and 503 with
 * Retry-After for anything that is our fault. Never 401 (it unenrolls), never 500.
 */
public final class CheckinRoute {
    static final String CHECKIN_CONTENT_TYPE = "application/x-apple-aspen-mdm-checkin";
    private static final Logger log = LoggerFactory.getLogger(CheckinRoute.class);

    private final CheckinDecoder decoder;
    private final Scheduler decodeScheduler;
    private final DeviceIdentityVerifier verifier;
    private final CheckinService service;
    private final WriteClock clock;
    private final GatewayMetrics metrics;
    private final int maxBodyBytes;
    private final BodyBudget budget;
    private final String organizationId;

    public CheckinRoute(CheckinDecoder decoder, Scheduler decodeScheduler, DeviceIdentityVerifier verifier,
            CheckinService service, WriteClock clock, GatewayMetrics metrics, int maxBodyBytes, BodyBudget budget,
            String organizationId) {
        this.decoder = decoder;
        this.decodeScheduler = decodeScheduler;
        this.verifier = verifier;
        this.service = service;
        this.clock = clock;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        this.budget = budget;
        this.organizationId = organizationId;
    }

    public Mono<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        long start = System.nanoTime();
        // The version is the moment of receipt: a later-arriving but earlier-sent write loses.
        long version = clock.next();
        Exchange x = new Exchange(req.requestHeaders());
        if (!isCheckinContentType(req.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE))) {
            x.status = 415;
            return Responses.text(res, 415, "Content-Type must be " + CHECKIN_CONTENT_TYPE)
                    .doFinally(s -> x.record(metrics, start));
        }
        SSLSession tls = tlsSession(req);
        BodyBudget.Lease lease = budget.lease();
        return BodyReader.read(req, maxBodyBytes, lease)
                .flatMap(body -> Mono.fromCallable(() -> decoder.decode(body))
                        .subscribeOn(decodeScheduler)
                        .flatMap(message -> {
                            x.messageType = message.messageType().wireName();
                            x.enrollment = message.enrollment();
                            return verifier.verify(new RawCheckin(req.requestHeaders(), body, tls), message)
                                    .flatMap(identity -> service.handle(message,
                                            new CheckinContext(version, identity, organizationId,
                                                    CheckinQuery.enrollmentToken(req.uri()))));
                        }))
                .flatMap(reply -> ok(res, reply, x))
                .onErrorResume(e -> failure(res, e, x))
                .doFinally(s -> {
                    lease.release();
                    x.record(metrics, start);
                });
    }

    private static Mono<Void> ok(HttpServerResponse res, CheckinReply reply, Exchange x) {
        x.status = reply.status();
        return reply.isEmpty() ? Responses.empty(res, reply.status())
                : Responses.bytes(res, reply.status(), reply.contentType(), reply.body());
    }

    private Mono<Void> failure(HttpServerResponse res, Throwable e, Exchange x) {
        if (res.hasSentHeaders() || e instanceof AbortedException || e instanceof IOException) {
            // Already answered (e.g. Netty refused a malformed chunk with 400) or the client is
            // gone: nothing more can be said on this connection.
            x.describe(log.atDebug()).log("check-in ended without our answer: {}", e.toString());
            return Mono.empty();
        }
        if (e instanceof BadMessageException) {
            x.status = 400;
            return Responses.text(res, 400, e.getMessage());
        }
        if (e instanceof CheckinRejectedException rejected) {
            x.status = rejected.status();
            return Responses.text(res, rejected.status(), rejected.getMessage());
        }
        if (e instanceof BodyTooLargeException) {
            x.status = 413;
            return Responses.text(res, 413, e.getMessage());
        }
        if (isRequestTimeout(e)) {
            // The request was not all received within the server's request timeout.
            x.status = 408;
            return Responses.text(res.keepAlive(false), 408, "request body not received in time");
        }
        x.status = 503;
        String reason = shedReason(e);
        metrics.shed(reason);
        if (reason.equals("internal")) {
            x.describe(log.atError()).setCause(e).log("check-in failed on our side; answering 503");
        } else if (reason.equals("store_unavailable") || e instanceof ServiceUnavailableException) {
            x.describe(log.atWarn()).log("check-in not stored, answering 503: {}", e.toString());
        } else {
            x.describe(log.atDebug()).log("check-in shed ({}): {}", reason, e.toString());
        }
        return Responses.text(Responses.retryAfter(res), 503, "temporarily unavailable, retry later");
    }

    /**
     * Reactor Netty's request timeout (the request was not all received in time) fails the body
     * with its RequestTimeoutException, a package-private ChannelException: known by name.
     */
    private static boolean isRequestTimeout(Throwable e) {
        return e instanceof ChannelException && e.getClass().getName().equals("reactor.netty.http.server.RequestTimeoutException");
    }

    /** Why a check-in is answered 503, as the {@code mdmgw_checkin_shed_total} label says it. */
    private static String shedReason(Throwable e) {
        if (e instanceof StoreOverloadedException) {
            return "store_overloaded";
        }
        if (e instanceof StoreUnavailableException) {
            return "store_unavailable";
        }
        if (e instanceof RejectedExecutionException) {
            return "decode_queue_full";
        }
        if (e instanceof BodyBudgetExceededException) {
            return "body_memory";
        }
        if (e instanceof ServiceUnavailableException unavailable) {
            return unavailable.reason();
        }
        return "internal";
    }

    /** The connection's TLS session when this gateway terminated TLS, else null. */
    private static SSLSession tlsSession(HttpServerRequest req) {
        SSLSession[] session = new SSLSession[1];
        req.withConnection(c -> {
            SslHandler ssl = c.channel().pipeline().get(SslHandler.class);
            if (ssl != null) {
                session[0] = ssl.engine().getSession();
            }
        });
        return session[0];
    }

    static boolean isCheckinContentType(String value) {
        if (value == null) {
            return false;
        }
        int semicolon = value.indexOf(';');
        String mediaType = (semicolon < 0 ? value : value.substring(0, semicolon)).trim();
        return mediaType.equalsIgnoreCase(CHECKIN_CONTENT_TYPE);
    }

    /** What the metrics and the log lines need to know once the answer is out. */
    private static final class Exchange {
        /** nginx's "client closed request": the client went away before we answered. */
        private static final int CLIENT_CLOSED = 499;

        private final HttpHeaders headers;
        private String requestId;
        volatile String messageType = "unknown";
        volatile EnrollmentRef enrollment;
        volatile int status = CLIENT_CLOSED;

        Exchange(HttpHeaders headers) {
            this.headers = headers;
        }

        void record(GatewayMetrics metrics, long start) {
            long nanos = System.nanoTime() - start;
            metrics.checkin(messageType, status, nanos);
            if (log.isDebugEnabled()) {
                describe(log.atDebug()).addKeyValue("status", status)
                        .addKeyValue("duration_ms", TimeUnit.NANOSECONDS.toMillis(nanos))
                        .log("check-in answered");
            }
        }

        /** The request's identifiers on a log line: never the body, its tokens or its headers' secrets. */
        LoggingEventBuilder describe(LoggingEventBuilder line) {
            if (line instanceof NOPLoggingEventBuilder) {
                return line;
            }
            synchronized (this) {
                if (requestId == null) {
                    requestId = RequestIds.of(headers);
                }
            }
            EnrollmentRef e = enrollment;
            return line.addKeyValue("request_id", requestId)
                    .addKeyValue("enrollment_id", e == null ? "-" : e.id())
                    .addKeyValue("message_type", messageType);
        }
    }
}
