package dev.mdmgw.gateway.service.escrow;

import dev.mdmgw.persistence.CheckinStore;
import dev.mdmgw.persistence.read.StoredBootstrapToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Key rotation for escrowed bootstrap tokens: one call re-seals up to {@code limit} escrows that
 * are not sealed with the current key yet, in device id order after {@code after}, each by
 * compare-and-set so a concurrent escrow or Authenticate is never overwritten. Devices keep
 * checking in meanwhile; the caller passes {@code next} back until it is null, then (with nothing
 * {@code remaining}) the old key can leave MDMGW_BOOTSTRAP_KEYS.
 */
public final class Resealer {
    private static final Logger log = LoggerFactory.getLogger(Resealer.class);

    private final CheckinStore store;
    private final TokenSealer sealer;

    public Resealer(CheckinStore store, TokenSealer sealer) {
        this.store = store;
        this.sealer = sealer;
    }

    /**
     * @param resealed   escrows now sealed with the current key
     * @param unopenable escrows whose key is no longer listed, or that do not open: left as they are
     * @param remaining  escrows still not sealed with the current key after this batch
     * @param next       where the next batch starts ({@code after}); null when this was the last
     */
    public record Batch(String currentKeyId, long resealed, long unopenable, long remaining, String next) {
    }

    public Mono<Batch> resealBatch(String after, int limit) {
        String current = sealer.currentKeyId();
        long[] counts = new long[3]; // resealed, unopenable, rows seen
        String[] last = {null};
        return store.bootstrapTokensNotSealedWith(current, after, limit)
                .concatMap(row -> {
                    last[0] = row.deviceId();
                    counts[2]++;
                    return reseal(row);
                })
                .doOnNext(resealed -> counts[resealed ? 0 : 1]++)
                .then(Mono.defer(() -> store.countBootstrapTokensNotSealedWith(current)))
                .map(remaining -> new Batch(current, counts[0], counts[1], remaining, counts[2] < limit ? null : last[0]));
    }

    /** True when re-sealed (or superseded meanwhile), false when it cannot be opened. */
    private Mono<Boolean> reseal(StoredBootstrapToken row) {
        byte[] token;
        try {
            token = sealer.open(row.deviceId(), row.token().keyId(), row.token().sealedToken());
        } catch (IllegalStateException e) {
            log.warn("bootstrap token of {} not re-sealed: {}", row.deviceId(), e.getMessage());
            return Mono.just(false);
        }
        TokenSealer.Sealed sealed = sealer.seal(row.deviceId(), token);
        return store.resealBootstrapToken(row.deviceId(), row.token().sealedToken(), sealed.bytes(), sealed.keyId())
                .thenReturn(true);
    }
}
