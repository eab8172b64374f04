package dev.mdmgw.persistence.identity;

import java.time.Instant;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Which device each identity certificate belongs to, keyed by the SHA-256 of its DER. A certificate
 * belongs to one device for ever; a device has at most one current certificate. Fails with the
 * store's overloaded/unavailable exceptions like {@code CheckinStore}; nothing here blocks.
 */
public interface CertificateStore {

    /**
     * Binds the certificate to {@code deviceId}, replacing the device's current one (Authenticate),
     * or with {@code retro} only when the device has no current certificate yet (migrations).
     * Committed when the Mono completes.
     */
    Mono<BindOutcome> bind(byte[] fingerprint, String deviceId, Instant notAfter, boolean retro);

    /** Empty when the certificate was never bound. */
    Mono<BoundCertificate> find(byte[] fingerprint);

    /**
     * Replacements made by any gateway on this database, as they commit, on a connection of its
     * own (not a pool slot). Starts with {@link ReplacedCertificates#RESYNC}, and again after
     * each reconnection; never completes on its own, so dispose the subscription to stop it.
     */
    Flux<ReplacedCertificates> replacements();
}
