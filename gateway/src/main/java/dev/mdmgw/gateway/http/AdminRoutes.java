package dev.mdmgw.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mdmgw.gateway.metrics.GatewayMetrics;
import dev.mdmgw.gateway.service.OrganizationSettings;
import dev.mdmgw.gateway.service.escrow.Resealer;
import dev.mdmgw.gateway.service.token.WatchPairingTokens;
import dev.mdmgw.persistence.CheckinStore;
import dev.mdmgw.persistence.EnrollmentType;
import dev.mdmgw.persistence.StoreException;
import dev.mdmgw.persistence.read.EnrollmentQuery;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The admin read API under {@code /v1/organizations/{org}/mdm/apple/enrollments} (CONTRACT.md):
 * one enrollment, a paginated list, and push-info for APNs senders.
 */
public final class AdminRoutes {
    private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);
    private static final Pattern ORG_ID = Pattern.compile("^(([a-fA-F0-9]{24})|([a-zA-Z0-9\\-]{3,}))$");
    private static final int DEFAULT_LIMIT = 25;
    private static final int MAX_LIMIT = 500;
    private static final int MAX_PUSH_INFO_IDS = 500;
    private static final int MAX_JSON_BODY = 256 * 1024;
    private static final String JSON = "application/json";
    private static final List<String> RESEAL = List.of("v1", "bootstrap-tokens", "reseal");
    private static final List<String> WATCH_PAIRING_VERIFY = List.of("watch-pairing", "verify");
    private static final List<String> SETTINGS = List.of("settings");
    private static final int DEFAULT_RESEAL_BATCH = 1000;
    private static final int MAX_RESEAL_BATCH = 10_000;

    private final CheckinStore store;
    private final AdminAuth auth;
    private final AdminJson json;
    private final GatewayMetrics metrics;
    private final BodyBudget budget;
    private final Resealer resealer;
    private final WatchPairingTokens watchPairing;

    /** {@code resealer} null: no bootstrap-token keys; {@code watchPairing} null: no watch-pairing key. */
    public AdminRoutes(CheckinStore store, Optional<String> apiKey, ObjectMapper mapper, GatewayMetrics metrics,
            BodyBudget budget, Resealer resealer, WatchPairingTokens watchPairing) {
        this.store = store;
        this.resealer = resealer;
        this.watchPairing = watchPairing;
        this.auth = new AdminAuth(apiKey);
        this.json = new AdminJson(mapper);
        this.metrics = metrics;
        this.budget = budget;
    }

    /** Serves {@code rawPath} (still percent-encoded) under {@code /v1/}. */
    public Mono<Void> handle(HttpServerRequest req, HttpServerResponse res, String rawPath) {
        long start = System.nanoTime();
        String[] route = {"unknown"};
        int[] status = {499}; // client closed, unless an answer is sent
        BodyBudget.Lease lease = budget.lease();
        Mono<Object> work = Mono.defer(() -> {
            auth.check(req.requestHeaders()).ifPresent(e -> {
                throw new AdminRejection(e);
            });
            List<String> segments = segments(rawPath);
            if (segments.equals(RESEAL) && req.method().equals(HttpMethod.POST)) {
                route[0] = "bootstrap-tokens.reseal";
                return reseal(query(req.uri()));
            }
            // Everything else lives under /v1/organizations/{org}/mdm/apple/<resource>.
            if (segments.size() < 6 || !segments.get(0).equals("v1") || !segments.get(1).equals("organizations")
                    || !segments.get(3).equals("mdm") || !segments.get(4).equals("apple")) {
                throw new AdminRejection(AdminError.notFound());
            }
            String org = segments.get(2);
            if (!ORG_ID.matcher(org).matches()) {
                throw new AdminRejection(AdminError.invalid("organizationId", "must match " + ORG_ID.pattern()));
            }
            List<String> resource = segments.subList(5, segments.size());
            if (resource.equals(WATCH_PAIRING_VERIFY) && req.method().equals(HttpMethod.POST)) {
                route[0] = "watch-pairing.verify";
                return BodyReader.read(req, MAX_JSON_BODY, lease).flatMap(body -> verifyWatchPairing(org, body));
            }
            if (resource.equals(SETTINGS) && req.method().equals(HttpMethod.GET)) {
                route[0] = "settings.get";
                return store.organizationSettings(org)
                        .<Object>map(OrganizationSettings::parse)
                        .switchIfEmpty(Mono.error(() -> new AdminRejection(AdminError.notFound())));
            }
            if (resource.equals(SETTINGS) && req.method().equals(HttpMethod.PUT)) {
                route[0] = "settings.update";
                return BodyReader.read(req, MAX_JSON_BODY, lease).flatMap(body -> updateSettings(org, body));
            }
            if (!resource.get(0).equals("enrollments") || resource.size() > 2) {
                throw new AdminRejection(AdminError.notFound());
            }
            HttpMethod method = req.method();
            if (segments.size() == 6 && method.equals(HttpMethod.GET)) {
                route[0] = "enrollments.list";
                return list(org, query(req.uri()));
            }
            if (segments.size() == 7 && segments.get(6).equals("push-info") && method.equals(HttpMethod.POST)) {
                route[0] = "enrollments.push-info";
                return BodyReader.read(req, MAX_JSON_BODY, lease).flatMap(body -> pushInfo(org, body));
            }
            if (segments.size() == 7 && method.equals(HttpMethod.GET)) {
                route[0] = "enrollments.get";
                if (!AdminIds.isPlausible(segments.get(6))) {
                    throw new AdminRejection(AdminError.notFound());
                }
                return store.findEnrollment(org, segments.get(6))
                        .<Object>map(AdminJson::enrollment)
                        .switchIfEmpty(Mono.error(() -> new AdminRejection(AdminError.notFound())));
            }
            throw new AdminRejection(AdminError.notFound());
        });
        return work
                .flatMap(data -> {
                    status[0] = 200;
                    return Responses.bytes(res, 200, JSON, json.ok(data));
                })
                .onErrorResume(e -> {
                    if (res.hasSentHeaders()) {
                        return Mono.empty(); // the answer was on its way; the client went away
                    }
                    AdminError error = toError(e);
                    status[0] = error.httpStatus();
                    HttpServerResponse r = error.httpStatus() == 503 ? Responses.retryAfter(res) : res;
                    return Responses.bytes(r, error.httpStatus(), JSON, json.error(error));
                })
                .doFinally(s -> {
                    lease.release();
                    metrics.admin(route[0], status[0], System.nanoTime() - start);
                });
    }

    /** One batch of bootstrap-token key rotation; repeat with {@code after=<next>} until {@code next} is null. */
    private Mono<Object> reseal(Map<String, List<String>> params) {
        if (resealer == null) {
            throw new AdminRejection(AdminError.invalid("MDMGW_BOOTSTRAP_KEYS", "is not set: there are no keys to rotate"));
        }
        int limit = Math.min(intParam(params, "limit", DEFAULT_RESEAL_BATCH), MAX_RESEAL_BATCH);
        String after = first(params, "after");
        return resealer.resealBatch(after == null ? "" : after, limit).map(b -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("currentKeyId", b.currentKeyId());
            out.put("resealed", b.resealed());
            out.put("unopenable", b.unopenable());
            out.put("remaining", b.remaining());
            out.put("next", b.next());
            return out;
        });
    }

    private Mono<Object> list(String org, Map<String, List<String>> params) {
        int page = intParam(params, "page", 1);
        int limit = Math.min(intParam(params, "limit", DEFAULT_LIMIT), MAX_LIMIT);
        Boolean enabled = null;
        String enabledText = first(params, "enabled");
        if (enabledText != null) {
            if (!enabledText.equals("true") && !enabledText.equals("false")) {
                throw new AdminRejection(AdminError.invalid("enabled", "must be true or false"));
            }
            enabled = Boolean.valueOf(enabledText);
        }
        EnrollmentType type = null;
        String typeText = first(params, "type");
        if (typeText != null) {
            try {
                type = EnrollmentType.fromCode(typeText);
            } catch (IllegalArgumentException e) {
                throw new AdminRejection(AdminError.invalid("type", "must be one of " + typeCodes()));
            }
        }
        return store.listEnrollments(new EnrollmentQuery(org, page, limit, enabled, type)).map(AdminJson::page);
    }

    private Mono<Object> updateSettings(String org, byte[] body) {
        OrganizationSettings settings;
        try {
            settings = OrganizationSettings.parse(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new AdminRejection(AdminError.invalid("settings", e.getMessage()));
        }
        return store.updateOrganizationSettings(org, settings.toJson())
                .flatMap(found -> found ? Mono.<Object>just(settings)
                        : Mono.error(new AdminRejection(AdminError.notFound())));
    }

    private Mono<Object> verifyWatchPairing(String org, byte[] body) {
        if (watchPairing == null) {
            throw new AdminRejection(AdminError.invalid("MDMGW_WATCH_PAIRING_KEY", "is not set: no token was issued here"));
        }
        JsonNode token;
        try {
            JsonNode root = json.mapper().readTree(body);
            token = root == null ? null : root.get("token");
        } catch (IOException e) {
            throw new AdminRejection(AdminError.invalid("body", "must be JSON"));
        }
        if (token == null || !token.isTextual() || token.asText().isEmpty()) {
            throw new AdminRejection(AdminError.invalid("token", "must be the TokenData as a string"));
        }
        return watchPairing.verify(org, token.asText())
                .<Object>map(p -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("phoneUDID", p.phoneUdid());
                    out.put("watchUDID", p.watchUdid());
                    out.put("securityToken", p.securityToken());
                    out.put("organization", p.organization());
                    out.put("issuedAt", p.issuedAt().toString());
                    return out;
                })
                .onErrorMap(WatchPairingTokens.RefusedException.class,
                        e -> new AdminRejection(AdminError.tokenRefused(e.getMessage())));
    }

    private Mono<Object> pushInfo(String org, byte[] body) {
        JsonNode ids;
        try {
            JsonNode root = json.mapper().readTree(body);
            ids = root == null ? null : root.get("ids");
        } catch (IOException e) {
            throw new AdminRejection(AdminError.invalid("body", "must be JSON"));
        }
        if (ids == null || !ids.isArray() || ids.isEmpty()) {
            throw new AdminRejection(AdminError.invalid("ids", "must be a non-empty array of enrollment ids"));
        }
        if (ids.size() > MAX_PUSH_INFO_IDS) {
            throw new AdminRejection(AdminError.invalid("ids", "must hold at most " + MAX_PUSH_INFO_IDS + " ids"));
        }
        List<String> list = new ArrayList<>(ids.size());
        for (JsonNode id : ids) {
            if (!id.isTextual() || !AdminIds.isPlausible(id.asText())) {
                throw new AdminRejection(AdminError.invalid("ids",
                        "must hold enrollment ids (text of 1 to " + AdminIds.MAX_LENGTH + " printable characters)"));
            }
            list.add(id.asText());
        }
        return store.pushInfo(org, list).collectList().map(AdminJson::pushInfo);
    }

    /** The path's segments, each percent-decoded on its own so an encoded '/' or ':' stays inside its id. */
    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                out.add(decode(s, "path"));
            }
        }
        return out;
    }

    private static Map<String, List<String>> query(String uri) {
        try {
            return new QueryStringDecoder(uri).parameters();
        } catch (IllegalArgumentException e) {
            throw new AdminRejection(AdminError.invalid("query", "has malformed percent-encoding"));
        }
    }

    private static String decode(String segment, String where) {
        try {
            // '+' is literal in a path; URLDecoder would make it a space.
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new AdminRejection(AdminError.invalid(where, "has malformed percent-encoding"));
        }
    }

    private static AdminError toError(Throwable e) {
        if (e instanceof AdminRejection r) {
            return r.error();
        }
        if (e instanceof BodyTooLargeException) {
            return AdminError.invalid("body", "is larger than " + MAX_JSON_BODY + " bytes");
        }
        if (!(e instanceof StoreException)) {
            log.error("admin request failed on our side; answering 503", e);
        }
        return AdminError.unavailable();
    }

    private static int intParam(Map<String, List<String>> params, String name, int fallback) {
        String v = first(params, name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new AdminRejection(AdminError.invalid(name, "must be a whole number of at least 1"));
        }
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static List<String> typeCodes() {
        return Arrays.stream(EnrollmentType.values()).map(EnrollmentType::code).toList();
    }
}
