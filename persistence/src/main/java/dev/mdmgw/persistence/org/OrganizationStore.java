package dev.mdmgw.persistence.org;

import dev.mdmgw.persistence.StoreConflictException;
import dev.mdmgw.persistence.read.Page;
import dev.mdmgw.persistence.write.AuthenticateWrite;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Organizations, their topics, API keys and enrollment tokens. Reads and writes go straight
 * through the pool (none of this is the check-in hot path), failing like the check-in store does;
 * a taken topic or enrollment code fails with {@link StoreConflictException}. Nothing here blocks.
 */
public interface OrganizationStore {

    /** Creates the organization with its topics; a topic of another organization is a conflict. */
    Mono<Organization> createOrganization(String id, String name, List<String> topics);

    Mono<Page<Organization>> listOrganizations(int page, int limit);

    /** Empty for an unknown organization. */
    Mono<Organization> findOrganization(String id);

    /** Every organization with its topics and settings, for routing check-ins. */
    Mono<List<Organization>> allOrganizations();

    /**
     * Gives {@code topics} to the organization where they belong to none yet; answers those of
     * them that another organization owns.
     */
    Mono<List<String>> claimTopics(String organizationId, List<String> topics);

    Mono<ApiKey> createApiKey(String id, String organizationId, String name, List<String> permissions,
            byte[] secretSha256);

    Mono<Page<ApiKey>> listApiKeys(String organizationId, int page, int limit);

    /** False when the organization has no such key, or it is revoked already. */
    Mono<Boolean> revokeApiKey(String organizationId, String id);

    /** Empty when there is no such key or it is revoked. */
    Mono<StoredApiKey> findApiKey(String id);

    /** All of them or none, in one statement; a taken enrollment code is a conflict on {@code enrollCode}. */
    Mono<List<EnrollmentToken>> createEnrollmentTokens(String organizationId, List<NewEnrollmentToken> tokens);

    Mono<Page<EnrollmentToken>> listEnrollmentTokens(TokenQuery query);

    Mono<EnrollmentToken> findEnrollmentToken(String organizationId, String id);

    Mono<EnrollmentToken> findEnrollmentTokenByCode(String enrollCode);

    /** Marks it DELETED and answers it; empty when the organization has no such token. */
    Mono<EnrollmentToken> deleteEnrollmentToken(String organizationId, String id);

    /** The organization of the token, whatever its state; empty for an unknown token. */
    Mono<String> organizationOfToken(String tokenId);

    /**
     * An Authenticate that presents enrollment token {@code tokenId}, in one transaction: the token
     * of {@code write.organizationId()} becomes DONE with {@code admDevice} = the device (it must be
     * PENDING and unexpired, or DONE by this same device), and the Authenticate is written into that
     * organization. False, with nothing written, when the token does not let this device in.
     * Concurrent claims of one token by different devices: exactly one is true.
     */
    Mono<Boolean> authenticateWithToken(String tokenId, AuthenticateWrite write);
}
