package dev.mdmgw.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mdmgw.gateway.service.org.EnrollCodes;
import dev.mdmgw.gateway.service.org.ObjectIds;
import dev.mdmgw.persistence.StoreConflictException;
import dev.mdmgw.persistence.org.EnrollmentToken;
import dev.mdmgw.persistence.org.NewEnrollmentToken;
import dev.mdmgw.persistence.org.OrganizationStore;
import dev.mdmgw.persistence.org.TokenQuery;
import dev.mdmgw.persistence.org.TokenSort;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/** {@code .../mdm/apple/enterprise/enrollment-tokens}: create (one or bulk), list, get, delete. */
final class EnrollmentTokenAdmin {
    static final String ENROLL_PATH = "/mdm/enroll/";
    private static final Pattern SORT = Pattern.compile("^[\\w.]*((:asc)|(:desc))?$");
    private static final int CODE_RETRIES = 3;

    private final OrganizationStore store;
    private final ObjectMapper mapper;
    private final PublicUrl publicUrl;
    private final boolean signed;

    EnrollmentTokenAdmin(OrganizationStore store, ObjectMapper mapper, PublicUrl publicUrl, boolean signed) {
        this.store = store;
        this.mapper = mapper;
        this.publicUrl = publicUrl;
        this.signed = signed;
    }

    Mono<Object> create(AdminCall call, boolean bulk) {
        return call.body().get().flatMap(body -> {
            EnrollmentTokenRequest request = EnrollmentTokenRequest.parse(readJson(body), bulk);
            // New codes on every attempt: a taken one (50 random bits, so hardly ever) is retried.
            return OrganizationAdmin.random(() -> request.items.stream()
                            .map(i -> new NewEnrollmentToken(ObjectIds.next(), EnrollCodes.next(), i.mdmUserId(),
                                    i.admPolicyId(), i.displayName(), i.document().toString(), request.duration))
                            .toList())
                    .flatMap(tokens -> store.createEnrollmentTokens(call.org(), tokens))
                    .retryWhen(Retry.max(CODE_RETRIES).filter(e -> e instanceof StoreConflictException c
                            && c.field().equals("enrollCode")))
                    .map(tokens -> bulk ? Map.of("items", tokens.stream().map(this::json).toList())
                            : json(tokens.get(0)));
        });
    }

    Mono<Object> list(AdminCall call) {
        Map<String, List<String>> q = call.query();
        int page = AdminParams.page(q);
        int limit = AdminParams.limit(q);
        String sortText = AdminParams.first(q, "sort");
        TokenSort sort = TokenSort.CREATED_AT;
        boolean descending = true;
        if (sortText != null) {
            if (!SORT.matcher(sortText).matches()) {
                throw new AdminRejection(AdminError.invalid("sort", "must match " + SORT.pattern()));
            }
            int colon = sortText.indexOf(':');
            String field = colon < 0 ? sortText : sortText.substring(0, colon);
            descending = sortText.endsWith(":desc");
            if (!field.isEmpty()) {
                sort = TokenSort.fromField(field);
                if (sort == null) {
                    throw new AdminRejection(AdminError.invalid("sort", "field must be one of " + TokenSort.fields()));
                }
            }
        }
        String user = queryId(q, "mdm-user");
        String policy = queryId(q, "adm-policy");
        Boolean showDeleted = AdminParams.bool(q, "show-deleted");
        return store.listEnrollmentTokens(new TokenQuery(call.org(), page, limit, sort, descending, user, policy,
                        Boolean.TRUE.equals(showDeleted)))
                .map(p -> AdminJson.page(p, this::json));
    }

    Mono<Object> get(AdminCall call) {
        return store.findEnrollmentToken(call.org(), tokenId(call)).<Object>map(this::json)
                .switchIfEmpty(Mono.error(() -> new AdminRejection(AdminError.notFound())));
    }

    Mono<Object> delete(AdminCall call) {
        return store.deleteEnrollmentToken(call.org(), tokenId(call)).<Object>map(this::json)
                .switchIfEmpty(Mono.error(() -> new AdminRejection(AdminError.notFound())));
    }

    private static String tokenId(AdminCall call) {
        String id = call.var("admEnrollmentTokenId");
        if (!EnrollmentTokenRequest.OBJECT_ID.matcher(id).matches()) {
            throw new AdminRejection(AdminError.invalid("admEnrollmentTokenId", "must match "
                    + EnrollmentTokenRequest.OBJECT_ID.pattern()));
        }
        return id;
    }

    private static String queryId(Map<String, List<String>> q, String name) {
        String v = AdminParams.first(q, name);
        if (v != null && !EnrollmentTokenRequest.OBJECT_ID.matcher(v).matches()) {
            throw new AdminRejection(AdminError.invalid(name, "must match " + EnrollmentTokenRequest.OBJECT_ID.pattern()));
        }
        return v;
    }

    private JsonNode readJson(byte[] body) {
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new AdminRejection(AdminError.invalid("body", "must be JSON"));
        }
    }

    /** The token in the Applivery shape, field for field in the seed's order. */
    Map<String, Object> json(EnrollmentToken t) {
        ObjectNode doc;
        try {
            doc = (ObjectNode) mapper.readTree(t.documentJson());
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("stored token document is not a JSON object: " + t.id(), e);
        }
        String expireAt = t.expireAt().toString();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("organization", t.organizationId());
        m.put("admEnterprise", null);
        m.put("admDevice", t.admDevice());
        m.put("mdmUser", doc.get("mdmUser"));
        m.put("displayName", doc.get("displayName"));
        m.put("tags", doc.get("tags"));
        m.put("state", t.state());
        m.put("config", doc.get("config"));
        Map<String, Object> enroll = new LinkedHashMap<>();
        enroll.put("serverExpirationDate", expireAt);
        enroll.put("mobileConfigSigned", signed);
        m.put("enroll", enroll);
        m.put("type", doc.get("type"));
        m.put("subType", doc.get("subType"));
        m.put("updatedAt", t.updatedAt().toString());
        m.put("createdAt", t.createdAt().toString());
        m.put("expireAt", expireAt);
        m.put("enrollmentLink", publicUrl.get() + ENROLL_PATH + t.enrollCode());
        m.put("enrollCode", t.enrollCode());
        m.put("admPolicy", doc.get("admPolicy"));
        m.put("admPolicyAssignments", doc.get("admPolicyAssignments"));
        m.put("admVppLocation", doc.get("admVppLocation"));
        m.put("summary", Map.of("expirationTimestamp", expireAt));
        m.put("profiles", doc.get("profiles"));
        m.put("applications", doc.get("applications"));
        m.put("sendEmail", doc.get("sendEmail"));
        m.put("emailText", doc.get("emailText"));
        m.put("configuration", doc.get("configuration"));
        m.put("segmentId", doc.get("segmentId"));
        return m;
    }
}
