package dev.mdmgw.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mdmgw.gateway.metrics.GatewayMetrics;
import dev.mdmgw.gateway.service.OrganizationSettings;
import dev.mdmgw.gateway.service.escrow.Resealer;
import dev.mdmgw.gateway.service.token.WatchPairingTokens;
import dev.mdmgw.persistence.CheckinStore;
import dev.mdmgw.persistence.EnrollmentType;
import dev.mdmgw.gateway.service.org.OrganizationDirectory;
import dev.mdmgw.gateway.service.org.Permissions;
import dev.mdmgw.persistence.StoreConflictException;
import dev.mdmgw.persistence.StoreException;
import dev.mdmgw.persistence.org.OrganizationStore;
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
 * The admin API (CONTRACT.md): a table of routes, each with the permission an organization's key
 * needs; the super-admin key may do everything. Checked in this order: a key at all (4002), a
 * valid key (4004), the route (3001), the organization id's pattern (5001), another
 * organization's path (3001: never say it exists), the permission (4003), then the route's own
 * validation and objects. {@code /v1/openapi.json} is served without a key.
 */
public final class AdminRoutes {
    private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);
    private static final Pattern ORG_ID = Pattern.compile("^(([a-fA-F0-9]{24})|([a-zA-Z0-9\\-]{3,}))$");
    private static final int MAX_PUSH_INFO_IDS = 500;
    private static final int MAX_JSON_BODY = 256 * 1024;
    private static final String JSON = "application/json";
    static final String OPENAPI_PATH = "/v1/openapi.json";
    private static final String APPLE = "/v1/organizations/{org}/mdm/apple";
    private static final String TOKENS = APPLE + "/enterprise/enrollment-tokens";
    private static final int DEFAULT_RESEAL_BATCH = 1000;
    private static final int MAX_RESEAL_BATCH = 10_000;

    private final CheckinStore store;
    private final OrganizationStore organizations;
    private final OrganizationDirectory directory;
    private final AdminAuth auth;
    private final AdminJson json;
    private final GatewayMetrics metrics;
    private final BodyBudget budget;
    private final Resealer resealer;
    private final WatchPairingTokens watchPairing;
    private final List<AdminRoute> routes;
    private final byte[] openApi;

    /** {@code resealer} null: no bootstrap-token keys; {@code watchPairing} null: no watch-pairing key. */
    public AdminRoutes(CheckinStore store, OrganizationStore organizations, OrganizationDirectory directory,
            Optional<String> apiKey, ObjectMapper mapper, GatewayMetrics metrics, BodyBudget budget, Resealer resealer,
            WatchPairingTokens watchPairing, PublicUrl publicUrl, boolean profilesSigned) {
        this.store = store;
        this.organizations = organizations;
        this.directory = directory;
        this.resealer = resealer;
        this.watchPairing = watchPairing;
        this.auth = new AdminAuth(apiKey, organizations);
        this.json = new AdminJson(mapper);
        this.metrics = metrics;
        this.budget = budget;
        this.openApi = OpenApi.document();
        OrganizationAdmin orgs = new OrganizationAdmin(organizations, directory, mapper);
        EnrollmentTokenAdmin tokens = new EnrollmentTokenAdmin(organizations, mapper, publicUrl, profilesSigned);
        HttpMethod get = HttpMethod.GET;
        HttpMethod post = HttpMethod.POST;
        this.routes = List.of(
                new AdminRoute(post, "/v1/organizations", "organizations.create", null, orgs::create),
                new AdminRoute(get, "/v1/organizations", "organizations.list", null, orgs::list),
                new AdminRoute(get, "/v1/organizations/{org}", "organizations.get", null, orgs::get),
                new AdminRoute(post, "/v1/organizations/{org}/api-keys", "api-keys.create", null, orgs::createKey),
                new AdminRoute(get, "/v1/organizations/{org}/api-keys", "api-keys.list", null, orgs::listKeys),
                new AdminRoute(HttpMethod.DELETE, "/v1/organizations/{org}/api-keys/{apiKeyId}", "api-keys.revoke", null,
                        orgs::revokeKey),
                new AdminRoute(get, APPLE + "/enrollments", "enrollments.list", Permissions.ENROLLMENT_LIST, this::list),
                new AdminRoute(post, APPLE + "/enrollments/push-info", "enrollments.push-info",
                        Permissions.ENROLLMENT_PUSH_INFO, this::pushInfo),
                new AdminRoute(get, APPLE + "/enrollments/{enrollmentId}", "enrollments.get", Permissions.ENROLLMENT_GET,
                        this::enrollment),
                new AdminRoute(get, APPLE + "/settings", "settings.get", Permissions.SETTINGS_GET, this::settings),
                new AdminRoute(HttpMethod.PUT, APPLE + "/settings", "settings.update", Permissions.SETTINGS_UPDATE,
                        this::updateSettings),
                new AdminRoute(post, APPLE + "/watch-pairing/verify", "watch-pairing.verify",
                        Permissions.WATCH_PAIRING_VERIFY, this::verifyWatchPairing),
                new AdminRoute(get, TOKENS, "enrollment-tokens.list", Permissions.TOKEN_LIST, tokens::list),
                new AdminRoute(post, TOKENS, "enrollment-tokens.create", Permissions.TOKEN_CREATE,
                        call -> tokens.create(call, false)),
                new AdminRoute(post, TOKENS + "/bulk", "enrollment-tokens.bulk-create", Permissions.TOKEN_CREATE,
                        call -> tokens.create(call, true)),
                new AdminRoute(get, TOKENS + "/{admEnrollmentTokenId}", "enrollment-tokens.get", Permissions.TOKEN_GET,
                        tokens::get),
                new AdminRoute(HttpMethod.DELETE, TOKENS + "/{admEnrollmentTokenId}", "enrollment-tokens.delete",
                        Permissions.TOKEN_DELETE, tokens::delete),
                new AdminRoute(post, "/v1/bootstrap-tokens/reseal", "bootstrap-tokens.reseal", null, this::reseal));
    }

    /** Every route served (and {@code GET /v1/openapi.json}): the OpenAPI test checks each is documented. */
    public List<String> routeTemplates() {
        List<String> out = new ArrayList<>();
        out.add("GET " + OPENAPI_PATH);
        routes.forEach(r -> out.add(r.method().name() + " " + r.template()));
        return out;
    }

    /** Serves {@code rawPath} (still percent-encoded) under {@code /v1/}. */
    public Mono<Void> handle(HttpServerRequest req, HttpServerResponse res, String rawPath) {
        if (rawPath.equals(OPENAPI_PATH) && req.method().equals(HttpMethod.GET)) {
            return Responses.bytes(res, 200, JSON, openApi);
        }
        long start = System.nanoTime();
        String[] route = {"unknown"};
        int[] status = {499}; // client closed, unless an answer is sent
        BodyBudget.Lease lease = budget.lease();
        Mono<Object> work = auth.authenticate(req.requestHeaders()).flatMap(principal -> {
            List<String> segments = segments(rawPath);
            for (AdminRoute r : routes) {
                Map<String, String> vars = r.method().equals(req.method()) ? r.match(segments) : null;
                if (vars != null) {
                    route[0] = r.name();
                    AdminCall call = new AdminCall(principal, vars, query(req.uri()),
                            () -> BodyReader.read(req, MAX_JSON_BODY, lease));
                    return authorize(r, call).then(Mono.defer(() -> r.handler().handle(call)));
                }
            }
            return Mono.error(new AdminRejection(AdminError.notFound()));
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

    /**
     * An organization's key sees its own organization only, and what its permissions allow; the
     * super-admin key sees every organization that exists.
     */
    private Mono<Void> authorize(AdminRoute route, AdminCall call) {
        String org = call.org();
        if (org != null && !ORG_ID.matcher(org).matches()) {
            return Mono.error(new AdminRejection(AdminError.invalid("organizationId", "must match " + ORG_ID.pattern())));
        }
        AdminPrincipal principal = call.principal();
        if (!principal.isSuperAdmin()) {
            if (org != null && !org.equals(principal.organizationId())) {
                return Mono.error(new AdminRejection(AdminError.notFound()));
            }
            return route.permission() != null && principal.may(route.permission()) ? Mono.empty()
                    : Mono.error(new AdminRejection(AdminError.permissionDenied(route.permission())));
        }
        if (org == null) {
            return Mono.empty();
        }
        return organizations.findOrganization(org)
                .switchIfEmpty(Mono.error(() -> new AdminRejection(AdminError.notFound())))
                .then();
    }

    private Mono<Object> enrollment(AdminCall call) {
        String id = call.var("enrollmentId");
        if (!AdminIds.isPlausible(id)) {
            throw new AdminRejection(AdminError.notFound());
        }
        return store.findEnrollment(call.org(), id)
                .<Object>map(AdminJson::enrollment)
                .switchIfEmpty(Mono.error(() -> new AdminRejection(AdminError.notFound())));
    }

    private Mono<Object> settings(AdminCall call) {
        return store.organizationSettings(call.org())
                .<Object>map(OrganizationSettings::parse)
                .switchIfEmpty(Mono.error(() -> new AdminRejection(AdminError.notFound())));
    }

    /** One batch of bootstrap-token key rotation; repeat with {@code after=<next>} until {@code next} is null. */
    private Mono<Object> reseal(AdminCall call) {
        Map<String, List<String>> params = call.query();
        if (resealer == null) {
            throw new AdminRejection(AdminError.invalid("MDMGW_BOOTSTRAP_KEYS", "is not set: there are no keys to rotate"));
        }
        int limit = Math.min(AdminParams.intParam(params, "limit", DEFAULT_RESEAL_BATCH), MAX_RESEAL_BATCH);
        String after = AdminParams.first(params, "after");
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

    private Mono<Object> list(AdminCall call) {
        Map<String, List<String>> params = call.query();
        int page = AdminParams.page(params);
        int limit = AdminParams.limit(params);
        Boolean enabled = AdminParams.bool(params, "enabled");
        EnrollmentType type = null;
        String typeText = AdminParams.first(params, "type");
        if (typeText != null) {
            try {
                type = EnrollmentType.fromCode(typeText);
            } catch (IllegalArgumentException e) {
                throw new AdminRejection(AdminError.invalid("type", "must be one of " + typeCodes()));
            }
        }
        return store.listEnrollments(new EnrollmentQuery(call.org(), page, limit, enabled, type))
                .map(p -> AdminJson.page(p, AdminJson::enrollment));
    }

    private Mono<Object> updateSettings(AdminCall call) {
        return call.body().get().flatMap(body -> updateSettings(call.org(), body));
    }

    private Mono<Object> updateSettings(String org, byte[] body) {
        OrganizationSettings settings;
        try {
            settings = OrganizationSettings.parse(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new AdminRejection(AdminError.invalid("settings", e.getMessage()));
        }
        return store.updateOrganizationSettings(org, settings.toJson())
                .flatMap(found -> found ? organizations.findOrganization(org).doOnNext(directory::put).thenReturn(settings)
                        : Mono.error(new AdminRejection(AdminError.notFound())));
    }

    private Mono<Object> verifyWatchPairing(AdminCall call) {
        return call.body().get().flatMap(body -> verifyWatchPairing(call.org(), body));
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

    private Mono<Object> pushInfo(AdminCall call) {
        return call.body().get().flatMap(body -> pushInfo(call.org(), body));
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
        if (e instanceof StoreConflictException c) {
            return AdminError.invalid(c.field(), c.getMessage());
        }
        if (e instanceof BodyTooLargeException) {
            return AdminError.invalid("body", "is larger than " + MAX_JSON_BODY + " bytes");
        }
        if (!(e instanceof StoreException)) {
            log.error("admin request failed on our side; answering 503", e);
        }
        return AdminError.unavailable();
    }



    private static List<String> typeCodes() {
        return Arrays.stream(EnrollmentType.values()).map(EnrollmentType::code).toList();
    }
}
