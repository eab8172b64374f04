package dev.mdmgw.persistence.postgres;

import dev.mdmgw.persistence.org.ApiKey;
import dev.mdmgw.persistence.org.EnrollmentToken;
import dev.mdmgw.persistence.org.NewEnrollmentToken;
import dev.mdmgw.persistence.org.Organization;
import dev.mdmgw.persistence.org.OrganizationStore;
import dev.mdmgw.persistence.org.StoredApiKey;
import dev.mdmgw.persistence.org.TokenQuery;
import dev.mdmgw.persistence.read.Page;
import dev.mdmgw.persistence.write.AuthenticateWrite;
import io.r2dbc.spi.ConnectionFactory;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Mono;

/** The PostgreSQL {@link OrganizationStore}, straight through the pool. */
public final class PostgresOrganizationStore implements OrganizationStore {
    private final Organizations organizations;
    private final ApiKeys apiKeys;
    private final EnrollmentTokens tokens;
    private final TokenAuthenticate tokenAuthenticate;

    public PostgresOrganizationStore(ConnectionFactory pool) {
        this.organizations = new Organizations(pool);
        this.apiKeys = new ApiKeys(pool);
        this.tokens = new EnrollmentTokens(pool);
        this.tokenAuthenticate = new TokenAuthenticate(pool);
    }

    @Override
    public Mono<Organization> createOrganization(String id, String name, List<String> topics) {
        return organizations.create(id, name, topics);
    }

    @Override
    public Mono<Page<Organization>> listOrganizations(int page, int limit) {
        return organizations.page(page, limit);
    }

    @Override
    public Mono<Organization> findOrganization(String id) {
        return organizations.find(id);
    }

    @Override
    public Mono<List<Organization>> allOrganizations() {
        return organizations.all();
    }

    @Override
    public Mono<List<String>> claimTopics(String organizationId, List<String> topics) {
        return organizations.claimTopics(organizationId, topics);
    }

    @Override
    public Mono<ApiKey> createApiKey(String id, String organizationId, String name, List<String> permissions,
            byte[] secretSha256) {
        return apiKeys.create(id, organizationId, name, permissions, secretSha256);
    }

    @Override
    public Mono<Page<ApiKey>> listApiKeys(String organizationId, int page, int limit) {
        return apiKeys.list(organizationId, page, limit);
    }

    @Override
    public Mono<Boolean> revokeApiKey(String organizationId, String id) {
        return apiKeys.revoke(organizationId, id);
    }

    @Override
    public Mono<StoredApiKey> findApiKey(String id) {
        return apiKeys.find(id);
    }

    @Override
    public Mono<List<EnrollmentToken>> createEnrollmentTokens(String organizationId, List<NewEnrollmentToken> list) {
        return tokens.create(organizationId, list);
    }

    @Override
    public Mono<Page<EnrollmentToken>> listEnrollmentTokens(TokenQuery query) {
        return tokens.list(query);
    }

    @Override
    public Mono<EnrollmentToken> findEnrollmentToken(String organizationId, String id) {
        return tokens.find(organizationId, id);
    }

    @Override
    public Mono<EnrollmentToken> findEnrollmentTokenByCode(String enrollCode) {
        return tokens.findByCode(enrollCode);
    }

    @Override
    public Mono<EnrollmentToken> deleteEnrollmentToken(String organizationId, String id) {
        return tokens.delete(organizationId, id);
    }

    @Override
    public Mono<String> organizationOfToken(String tokenId) {
        return tokens.organizationOf(tokenId);
    }

    @Override
    public Mono<Boolean> authenticateWithToken(String tokenId, AuthenticateWrite write) {
        return Mono.defer(() -> {
            Objects.requireNonNull(write.deviceId(), "deviceId");
            Objects.requireNonNull(write.type(), "type");
            Objects.requireNonNull(write.organizationId(), "organizationId");
            return tokenAuthenticate.run(tokenId, write);
        });
    }
}
