package dev.mdmgw.persistence.identity;

import java.time.Instant;
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
}
