package dev.mdmgw.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mdmgw.gateway.mdm.MdmTopic;
import dev.mdmgw.gateway.service.org.ApiKeySecrets;
import dev.mdmgw.gateway.service.org.ObjectIds;
import dev.mdmgw.gateway.service.org.OrganizationDirectory;
import dev.mdmgw.gateway.service.org.Permissions;
import dev.mdmgw.persistence.org.ApiKey;
import dev.mdmgw.persistence.org.Organization;
import dev.mdmgw.persistence.org.OrganizationStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Organizations and their API keys: the super-admin key's routes. */
final class OrganizationAdmin {
    private static final int MAX_NAME = 128;
    private static final int MAX_TOPICS = 100;

    private final OrganizationStore store;
    private final OrganizationDirectory directory;
    private final ObjectMapper mapper;

    OrganizationAdmin(OrganizationStore store, OrganizationDirectory directory, ObjectMapper mapper) {
        this.store = store;
        this.directory = directory;
        this.mapper = mapper;
    }

    Mono<Object> create(AdminCall call) {
        return call.body().get().flatMap(bytes -> {
            JsonNode body = object(bytes, Set.of("name", "topics"));
            String name = name(body);
            JsonNode topics = body.get("topics");
            if (topics == null || !topics.isArray() || topics.isEmpty() || topics.size() > MAX_TOPICS) {
                throw invalid("topics", "is required: an array of 1 to " + MAX_TOPICS + " APNs topics");
            }
            Set<String> list = new LinkedHashSet<>();
            for (JsonNode t : topics) {
                if (!t.isTextual() || !MdmTopic.isValid(t.asText()) || t.asText().length() > 256) {
                    throw invalid("topics", "must hold " + MdmTopic.PREFIX + "<suffix> topics");
                }
                list.add(t.asText());
            }
            return random(ObjectIds::next)
                    .flatMap(id -> store.createOrganization(id, name, new ArrayList<>(list)))
                    .doOnNext(directory::put)
                    .<Object>map(OrganizationAdmin::json);
        });
    }

    Mono<Object> list(AdminCall call) {
        return store.listOrganizations(AdminParams.page(call.query()), AdminParams.limit(call.query()))
                .map(p -> AdminJson.page(p, OrganizationAdmin::json));
    }

    Mono<Object> get(AdminCall call) {
        return store.findOrganization(call.org()).<Object>map(OrganizationAdmin::json)
                .switchIfEmpty(Mono.error(() -> new AdminRejection(AdminError.notFound())));
    }

    Mono<Object> createKey(AdminCall call) {
        return call.body().get().flatMap(bytes -> {
            JsonNode body = object(bytes, Set.of("name", "permissions"));
            String name = name(body);
            JsonNode permissions = body.get("permissions");
            if (permissions == null || !permissions.isArray()) {
                throw invalid("permissions", "is required: an array of " + Permissions.ALL);
            }
            Set<String> granted = new LinkedHashSet<>();
            for (JsonNode p : permissions) {
                if (!p.isTextual() || !Permissions.ALL.contains(p.asText())) {
                    throw invalid("permissions", "must hold permissions of " + Permissions.ALL);
                }
                granted.add(p.asText());
            }
            return random(ApiKeySecrets::generate).flatMap(key -> store.createApiKey(key.id(), call.org(), name,
                            List.copyOf(granted), key.secretSha256())
                    .<Object>map(stored -> {
                        Map<String, Object> m = json(stored);
                        m.put("key", key.key());
                        return m;
                    }));
        });
    }

    Mono<Object> listKeys(AdminCall call) {
        return store.listApiKeys(call.org(), AdminParams.page(call.query()), AdminParams.limit(call.query()))
                .map(p -> AdminJson.page(p, OrganizationAdmin::json));
    }

    Mono<Object> revokeKey(AdminCall call) {
        String id = call.var("apiKeyId");
        if (!EnrollmentTokenRequest.OBJECT_ID.matcher(id).matches()) {
            throw invalid("apiKeyId", "must match " + EnrollmentTokenRequest.OBJECT_ID.pattern());
        }
        return store.revokeApiKey(call.org(), id).<Object>flatMap(revoked -> {
            if (!revoked) {
                return Mono.error(new AdminRejection(AdminError.notFound()));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("revoked", true);
            return Mono.just(m);
        });
    }

    /**
     * New ids and secrets come from SecureRandom, which may read the system's entropy source: off
     * the event loop.
     */
    static <T> Mono<T> random(Callable<T> draw) {
        return Mono.fromCallable(draw).subscribeOn(Schedulers.boundedElastic());
    }

    private JsonNode object(byte[] bytes, Set<String> fields) {
        JsonNode body;
        try {
            body = mapper.readTree(bytes);
        } catch (IOException e) {
            throw invalid("body", "must be JSON");
        }
        if (body == null || !body.isObject()) {
            throw invalid("body", "must be a JSON object");
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!fields.contains(f)) {
                throw invalid(f, "is not a field of this request");
            }
        });
        return body;
    }

    private static String name(JsonNode body) {
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank() || name.asText().length() > MAX_NAME) {
            throw invalid("name", "is required: text of 1 to " + MAX_NAME + " characters");
        }
        return name.asText();
    }

    static Map<String, Object> json(Organization o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", o.id());
        m.put("name", o.name());
        m.put("topics", o.topics());
        m.put("createdAt", o.createdAt().toString());
        m.put("updatedAt", o.updatedAt().toString());
        return m;
    }

    static Map<String, Object> json(ApiKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("organization", k.organizationId());
        m.put("name", k.name());
        m.put("permissions", k.permissions());
        m.put("createdAt", k.createdAt().toString());
        return m;
    }

    private static AdminRejection invalid(String field, String why) {
        return new AdminRejection(AdminError.invalid(field, why));
    }
}
