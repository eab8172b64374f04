package dev.mdmgw.gateway.identity;

import dev.mdmgw.gateway.config.DeviceAuth;
import dev.mdmgw.gateway.config.Settings;
import dev.mdmgw.gateway.metrics.GatewayMetrics;
import dev.mdmgw.persistence.identity.CertificateStore;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;

/**
 * The verifier {@code MDMGW_DEVICE_AUTH} asks for and, with certificates, the subscription that
 * keeps its binding cache in step with the other gateways; {@link #close} stops that.
 */
public final class DeviceIdentities implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeviceIdentities.class);

    private final DeviceIdentityVerifier verifier;
    private final Disposable listening;

    private DeviceIdentities(DeviceIdentityVerifier verifier, Disposable listening) {
        this.verifier = verifier;
        this.listening = listening;
    }

    public DeviceIdentityVerifier verifier() {
        return verifier;
    }

    @Override
    public void close() {
        listening.dispose();
    }

    /**
     * @param caFile the device CA bundle (the configured one, or the development CA); ignored in
     *               {@code none} mode
     */
    public static DeviceIdentities start(Settings.Identity settings, Path caFile, CertificateStore store,
            GatewayMetrics metrics) {
        metrics.identityMode(settings.mode().wireName(),
                Arrays.stream(IdentityFailure.values()).map(IdentityFailure::label).toList());
        if (settings.mode() == DeviceAuth.NONE) {
            log.warn("MDMGW_DEVICE_AUTH=none: device identity is NOT verified; any client can check in for any "
                    + "device. Development only: never expose this gateway to devices");
            return new DeviceIdentities(new AcceptAnyDevice(), Disposables.disposed());
        }
        CertificateSource source = switch (settings.mode()) {
            case SIGNATURE -> new MdmSignatureSource();
            case HEADER -> new CertificateHeaderSource(settings.certHeader().orElseThrow());
            case TLS -> new TlsClientCertificateSource();
            case NONE -> throw new IllegalStateException("handled above");
        };
        CertificateBindings bindings = new CertificateBindings(store, settings.retro(),
                Duration.ofSeconds(settings.cacheSeconds()), settings.cacheSize());
        CaffeineCacheMetrics.monitor(metrics.registry(), bindings.cache(), "mdmgw_certificate_bindings");
        if (settings.retro()) {
            log.warn("MDMGW_CERT_RETRO=true: a device without a bound certificate is bound to the first never-seen "
                    + "certificate it checks in with. Turn it off once the migrated fleet has checked in");
        }
        DeviceTrust trust = DeviceTrust.fromPemBundle(caFile, settings.cacheSize());
        Disposable listening = store.replacements().subscribe(bindings::replaced);
        log.info("device identity: {} (CA {}), bindings cached for up to {} s", settings.mode().wireName(), caFile,
                settings.cacheSeconds());
        return new DeviceIdentities(new CertificateVerifier(source, trust, bindings, metrics, Clock.systemUTC()), listening);
    }
}
