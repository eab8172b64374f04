package dev.mdmgw.gateway.identity;

import dev.mdmgw.gateway.mdm.CheckinMessage;
import dev.mdmgw.gateway.metrics.GatewayMetrics;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Device identity by certificate, in three steps: take the certificate from its source (signature,
 * header or TLS), check it is trusted now, and check it may speak for the message's device. Every
 * refusal is counted by reason and logged with the certificate's fingerprint and the enrollment id,
 * never with the body or any secret.
 */
public final class CertificateVerifier implements DeviceIdentityVerifier {
    private static final Logger log = LoggerFactory.getLogger(CertificateVerifier.class);

    private final CertificateSource source;
    private final DeviceTrust trust;
    private final CertificateBindings bindings;
    private final GatewayMetrics metrics;
    private final Clock clock;

    public CertificateVerifier(CertificateSource source, DeviceTrust trust, CertificateBindings bindings,
            GatewayMetrics metrics, Clock clock) {
        this.source = source;
        this.trust = trust;
        this.bindings = bindings;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public Mono<DeviceIdentity> verify(RawCheckin raw, CheckinMessage message) {
        PresentedCertificate presented;
        try {
            presented = source.present(raw);
        } catch (IdentityRejectedException e) {
            return Mono.error(refused(e, e.fingerprint(), message));
        }
        try {
            trust.check(presented, clock.instant());
        } catch (IdentityRejectedException e) {
            return Mono.error(refused(e, presented.fingerprint(), message));
        }
        return bindings.authorize(presented, message)
                .map(deviceId -> new DeviceIdentity(presented.der(), presented.fingerprint(), deviceId))
                .onErrorMap(IdentityRejectedException.class, e -> refused(e, presented.fingerprint(), message));
    }

    private IdentityRejectedException refused(IdentityRejectedException e, Fingerprint fingerprint, CheckinMessage message) {
        metrics.identityFailure(e.failure().label());
        log.atInfo()
                .addKeyValue("reason", e.failure().label())
                .addKeyValue("fingerprint", fingerprint == null ? "-" : fingerprint.hex())
                .addKeyValue("enrollment_id", message.enrollment() == null ? "-" : message.enrollment().id())
                .addKeyValue("message_type", message.messageType().wireName())
                .log("device identity refused: {}", e.getMessage());
        return e;
    }
}
