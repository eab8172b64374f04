package dev.mdmgw.persistence;

import dev.mdmgw.persistence.read.EnrollmentQuery;
import dev.mdmgw.persistence.read.EnrollmentView;
import dev.mdmgw.persistence.read.Page;
import dev.mdmgw.persistence.read.PushInfo;
import dev.mdmgw.persistence.read.SealedBootstrapToken;
import dev.mdmgw.persistence.read.StoredBootstrapToken;
import dev.mdmgw.persistence.write.AuthenticateWrite;
import dev.mdmgw.persistence.write.BootstrapTokenWrite;
import dev.mdmgw.persistence.write.CheckOutWrite;
import dev.mdmgw.persistence.write.TokenUpdateWrite;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Everything the gateway stores or reads. Writes complete only once committed; they fail with
 * {@link StoreOverloadedException} when the write queue is full or they waited in it longer than
 * {@link DatabaseSettings#maxQueueWait()}, and with {@link StoreUnavailableException} when the
 * database failed them. Nothing here blocks.
 */
public interface CheckinStore {

    Mono<Void> authenticate(AuthenticateWrite write);

    Mono<Void> tokenUpdate(TokenUpdateWrite write);

    Mono<Void> checkOut(CheckOutWrite write);

    /** Escrows the sealed bootstrap token, or removes it when {@code sealedToken} is null. */
    Mono<Void> setBootstrapToken(BootstrapTokenWrite write);

    /** Empty when the device has no token in escrow. */
    Mono<SealedBootstrapToken> findBootstrapToken(String deviceId);

    /**
     * Up to {@code limit} escrows sealed with another key than {@code keyId}, of devices whose id
     * sorts after {@code after} ("" for the first page), in id order: key rotation pages by id so
     * escrows it cannot open do not block it.
     */
    Flux<StoredBootstrapToken> bootstrapTokensNotSealedWith(String keyId, String after, int limit);

    Mono<Long> countBootstrapTokensNotSealedWith(String keyId);

    /**
     * Replaces a device's sealed token by the same token sealed with {@code keyId}; false when the
     * row no longer holds {@code expected} (a newer escrow or an Authenticate came first).
     */
    Mono<Boolean> resealBootstrapToken(String deviceId, byte[] expected, byte[] resealed, String keyId);

    /** Empty when there is no such enrollment in that organization. */
    Mono<EnrollmentView> findEnrollment(String organizationId, String enrollmentId);

    Mono<Page<EnrollmentView>> listEnrollments(EnrollmentQuery query);

    /** Push data of those of {@code ids} that exist in the organization and are enabled. */
    Flux<PushInfo> pushInfo(String organizationId, List<String> ids);

    /** Records a single-use token as used: true the first time for {@code tokenId}, false ever after. */
    Mono<Boolean> consumeWatchPairingToken(UUID tokenId, Instant expiresAt);

    /** The organization's settings as JSON ({@code {}} when none are set); empty for an unknown organization. */
    Mono<String> organizationSettings(String organizationId);

    /** Replaces the organization's settings (JSON the caller validated); false for an unknown organization. */
    Mono<Boolean> updateOrganizationSettings(String organizationId, String json);

    /** Records a user the organization's UserAuthenticate policy let through. */
    Mono<Void> recordUserAuthentication(String enrollmentId, String deviceId, String userId, String organizationId);

    /** Completes with true when the database answers a trivial query. */
    Mono<Boolean> ping();

    /** Writes waiting in the queue now, and the queue's bound. */
    int queueDepth();

    int queueCapacity();
}
