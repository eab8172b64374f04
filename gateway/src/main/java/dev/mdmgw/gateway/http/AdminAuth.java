package dev.mdmgw.gateway.http;

import dev.mdmgw.gateway.service.org.ApiKeySecrets;
import dev.mdmgw.persistence.org.OrganizationStore;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Bearer-key check for the admin API: the super-admin key ({@code MDMGW_ADMIN_API_KEY}), or an
 * organization's key, read from the database on every request (no cache: a revoked key fails at
 * once, on every gateway). Closed when no super-admin key is configured. Compared in constant time.
 */
final class AdminAuth {
    private static final String BEARER = "bearer ";
    private final byte[] key;
    private final OrganizationStore store;

    AdminAuth(Optional<String> key, OrganizationStore store) {
        this.key = key.map(k -> k.getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.store = store;
    }

    /** The principal, or an {@link AdminRejection} with the error to answer. */
    Mono<AdminPrincipal> authenticate(HttpHeaders headers) {
        if (key == null) {
            return Mono.error(new AdminRejection(AdminError.closed()));
        }
        String value = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (value == null || value.isBlank()) {
            return Mono.error(new AdminRejection(AdminError.noAuthToken()));
        }
        if (value.length() <= BEARER.length() || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Mono.error(new AdminRejection(AdminError.invalidToken()));
        }
        String presented = value.substring(BEARER.length()).trim();
        if (MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), key)) {
            return Mono.just(AdminPrincipal.SUPER_ADMIN);
        }
        ApiKeySecrets.Presented orgKey = ApiKeySecrets.parse(presented);
        if (orgKey == null) {
            return Mono.error(new AdminRejection(AdminError.invalidToken()));
        }
        return store.findApiKey(orgKey.id())
                .filter(stored -> orgKey.matches(stored.secretSha256()))
                .map(stored -> new AdminPrincipal(stored.key().organizationId(), Set.copyOf(stored.key().permissions())))
                .switchIfEmpty(Mono.error(() -> new AdminRejection(AdminError.invalidToken())));
    }
}
