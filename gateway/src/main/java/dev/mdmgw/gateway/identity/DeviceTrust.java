package dev.mdmgw.gateway.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;

/**
 * Whether a certificate is a device identity we trust: inside its validity period, for client
 * authentication when it says what it is for, and chaining (through intermediates it came with) to
 * a CA of {@code MDMGW_DEVICE_CA_FILE}. A chain, once built, is remembered by fingerprint until the
 * first of its certificates expires, so a device pays the PKIX path building once, not per request.
 */
public final class DeviceTrust {
    /** Re-checked at least this often even when the chain lasts longer: bounds the effect of a CA file swap. */
    private static final Duration MAX_REMEMBERED = Duration.ofHours(1);

    private final Set<TrustAnchor> anchors;
    private final Cache<Fingerprint, Instant> chained;

    DeviceTrust(Set<TrustAnchor> anchors, int cacheSize) {
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("no CA certificate to trust");
        }
        this.anchors = Set.copyOf(anchors);
        this.chained = Caffeine.newBuilder().maximumSize(cacheSize).expireAfterWrite(MAX_REMEMBERED).build();
    }

    /** Trusts every certificate of the PEM bundle at {@code caFile} as an issuer of device identities. */
    public static DeviceTrust fromPemBundle(Path caFile, int cacheSize) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Set<TrustAnchor> anchors = new HashSet<>();
            for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                anchors.add(new TrustAnchor((X509Certificate) c, null));
            }
            return new DeviceTrust(anchors, cacheSize);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("MDMGW_DEVICE_CA_FILE " + caFile + ": not a PEM bundle of CA certificates ("
                    + e.getMessage() + ")", e);
        }
    }

    public void check(PresentedCertificate presented, Instant now) {
        X509CertificateHolder leaf = presented.leaf();
        Date at = Date.from(now);
        if (at.before(leaf.getNotBefore())) {
            throw new IdentityRejectedException(IdentityFailure.EXPIRED,
                    "certificate is not valid before " + leaf.getNotBefore().toInstant());
        }
        if (at.after(leaf.getNotAfter())) {
            throw new IdentityRejectedException(IdentityFailure.EXPIRED,
                    "certificate expired at " + leaf.getNotAfter().toInstant());
        }
        Instant until = chained.getIfPresent(presented.fingerprint());
        if (until != null && now.isBefore(until)) {
            return;
        }
        ExtendedKeyUsage eku = ExtendedKeyUsage.fromExtensions(leaf.getExtensions());
        if (eku != null && !eku.hasKeyPurposeId(KeyPurposeId.id_kp_clientAuth)) {
            throw new IdentityRejectedException(IdentityFailure.UNTRUSTED,
                    "certificate's extended key usage does not include clientAuth");
        }
        chained.put(presented.fingerprint(), buildChain(presented, at));
    }

    /** The moment the built chain stops being valid: the earliest notAfter along it. */
    private Instant buildChain(PresentedCertificate presented, Date at) {
        try {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            X509Certificate leaf = converter.getCertificate(presented.leaf());
            List<X509Certificate> pool = new ArrayList<>();
            pool.add(leaf);
            for (X509CertificateHolder other : presented.others()) {
                pool.add(converter.getCertificate(other));
            }
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            params.setRevocationEnabled(false);
            params.setDate(at);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
            PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
            Instant until = leaf.getNotAfter().toInstant();
            for (java.security.cert.Certificate c : result.getCertPath().getCertificates()) {
                Instant notAfter = ((X509Certificate) c).getNotAfter().toInstant();
                if (notAfter.isBefore(until)) {
                    until = notAfter;
                }
            }
            return until;
        } catch (CertPathBuilderException e) {
            // The JDK's builder rarely says why; an expired certificate among those presented is the likely one.
            if (causedByValidity(e) || anyOutsideValidity(presented.others(), at)) {
                throw new IdentityRejectedException(IdentityFailure.EXPIRED, "a certificate of its chain is expired");
            }
            throw new IdentityRejectedException(IdentityFailure.UNTRUSTED, "certificate does not chain to the device CA");
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IdentityRejectedException(IdentityFailure.UNTRUSTED, "certificate cannot be checked: " + e.getMessage());
        }
    }

    private static boolean anyOutsideValidity(List<X509CertificateHolder> certificates, Date at) {
        return certificates.stream().anyMatch(c -> !c.isValidOn(at));
    }

    private static boolean causedByValidity(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return true;
            }
        }
        return false;
    }
}
