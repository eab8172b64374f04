package dev.mdmgw.gateway.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mdmgw.gateway.mdm.CheckinMessage;
import dev.mdmgw.gateway.mdm.EnrollmentRef;
import dev.mdmgw.gateway.mdm.MessageType;
import dev.mdmgw.persistence.identity.BoundCertificate;
import dev.mdmgw.persistence.identity.CertificateStore;
import dev.mdmgw.persistence.identity.ReplacedCertificates;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/**
 * Which device a certificate may speak for. Authenticate binds the certificate to its device
 * (replacing a renewed one); every other message needs the certificate currently bound to its
 * device channel (user channels use their device's). Bindings live in the database; the current
 * ones are cached here, so a device checking in again costs no round trip.
 *
 * <p>Staleness: a certificate never changes owner, so a cached owner is always right about
 * "whose"; only "still current" can go stale. A replacement made here drops the old certificate
 * from this cache before the Authenticate is answered; on other gateways the old certificate
 * works until they hear of it through the database's NOTIFY (milliseconds), and at worst until its
 * entry expires ({@code cacheTtl}) when that channel was down.
 */
public final class CertificateBindings {
    private final CertificateStore store;
    private final boolean retro;
    private final Cache<Fingerprint, String> current;
    /** Bumped on every removal, so a look-up that raced one does not put a stale entry back. */
    private final AtomicLong removals = new AtomicLong();

    public CertificateBindings(CertificateStore store, boolean retro, Duration cacheTtl, int cacheSize) {
        this.store = store;
        this.retro = retro;
        this.current = Caffeine.newBuilder()
                .maximumSize(cacheSize)
                .expireAfterWrite(cacheTtl)
                .recordStats()
                .build();
    }

    /** The cache, for its hit/miss meters. */
    public Cache<Fingerprint, String> cache() {
        return current;
    }

    /** Completes with the device channel id the certificate speaks for, or errors with a refusal. */
    public Mono<String> authorize(PresentedCertificate certificate, CheckinMessage message) {
        EnrollmentRef enrollment = message.enrollment();
        if (message.messageType() == MessageType.AUTHENTICATE) {
            return bind(certificate, enrollment.deviceId(), false);
        }
        Fingerprint fp = certificate.fingerprint();
        String cached = current.getIfPresent(fp);
        if (cached != null) {
            // The body may carry no id at all (Set/GetBootstrapToken): then it speaks for the bound device.
            if (enrollment == null || cached.equals(enrollment.deviceId())) {
                return Mono.just(cached);
            }
            return Mono.error(boundElsewhere(enrollment.deviceId()));
        }
        long seen = removals.get();
        return store.find(fp.bytes())
                .flatMap(bound -> decide(certificate, enrollment, bound, seen))
                .switchIfEmpty(Mono.defer(() -> unknown(certificate, enrollment)));
    }

    /** Drops what any gateway replaced; on a resync (the channel was down for a while), everything. */
    public void replaced(ReplacedCertificates replaced) {
        if (replaced.resync()) {
            removals.incrementAndGet();
            current.invalidateAll();
            return;
        }
        for (byte[] fp : replaced.fingerprints()) {
            forget(Fingerprint.ofSha256(fp));
        }
    }

    private void forget(Fingerprint fingerprint) {
        removals.incrementAndGet();
        current.invalidate(fingerprint);
    }

    private Mono<String> decide(PresentedCertificate certificate, EnrollmentRef enrollment, BoundCertificate bound,
            long seen) {
        if (enrollment != null && !bound.deviceId().equals(enrollment.deviceId())) {
            return Mono.error(boundElsewhere(enrollment.deviceId()));
        }
        if (!bound.current()) {
            return Mono.error(replaced());
        }
        remember(certificate.fingerprint(), bound.deviceId(), seen);
        return Mono.just(bound.deviceId());
    }

    /** A certificate never bound: only retro mode may bind it, and only when the body names the device. */
    private Mono<String> unknown(PresentedCertificate certificate, EnrollmentRef enrollment) {
        if (retro && enrollment != null) {
            return bind(certificate, enrollment.deviceId(), true);
        }
        return Mono.error(new IdentityRejectedException(IdentityFailure.NOT_BOUND,
                "certificate is not bound to any device: the device must Authenticate with it first"));
    }

    private Mono<String> bind(PresentedCertificate certificate, String deviceId, boolean retroBind) {
        Fingerprint fp = certificate.fingerprint();
        long seen = removals.get();
        return store.bind(fp.bytes(), deviceId, certificate.leaf().getNotAfter().toInstant(), retroBind)
                .flatMap(outcome -> {
                    for (byte[] old : outcome.replaced()) {
                        forget(Fingerprint.ofSha256(old));
                    }
                    return switch (outcome.result()) {
                        case BOUND -> {
                            // Another renewal of this device may have committed after ours and been
                            // answered first: cache only if nothing was removed meanwhile.
                            remember(fp, deviceId, seen + outcome.replaced().size());
                            yield Mono.just(deviceId);
                        }
                        case BOUND_ELSEWHERE -> Mono.error(boundElsewhere(deviceId));
                        case REPLACED -> Mono.error(replaced());
                        case NOT_BOUND -> Mono.error(new IdentityRejectedException(IdentityFailure.NOT_BOUND,
                                "device " + deviceId + " is bound to another certificate"));
                    };
                });
    }

    private void remember(Fingerprint fp, String deviceId, long seen) {
        current.put(fp, deviceId);
        if (removals.get() != seen) {
            // A replacement landed while we were reading: our answer may predate it.
            current.invalidate(fp);
        }
    }

    private static IdentityRejectedException boundElsewhere(String deviceId) {
        return new IdentityRejectedException(IdentityFailure.BOUND_ELSEWHERE,
                "certificate is bound to another device than " + deviceId);
    }

    private static IdentityRejectedException replaced() {
        return new IdentityRejectedException(IdentityFailure.NOT_BOUND,
                "certificate was replaced by a newer one for its device");
    }
}
