package dev.mdmgw.gateway.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;

/**
 * Whether a certificate is a device identity we trust: inside its validity period, for client
 * authentication when it says what it is for, and chaining (through intermediates it came with) to
 * a CA of {@code MDMGW_DEVICE_CA_FILE}. A chain, once validated, is remembered by fingerprint until
 * the first of its certificates expires, so a device pays the PKIX validation once, not per request.
 */
public final class DeviceTrust {
    /** Re-validated at least this often, however long the chain lasts: no decision is trusted for ever. */
    private static final Duration MAX_REMEMBERED = Duration.ofHours(1);

    /** Longer paths than leaf, intermediates and root are refused: nobody issues device identities that deep. */
    private static final int MAX_PATH = 5;

    private final Set<TrustAnchor> anchors;
    private final Set<X500Principal> anchorSubjects;
    private final Cache<Fingerprint, Instant> chained;

    DeviceTrust(Set<TrustAnchor> anchors, int cacheSize) {
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("no CA certificate to trust");
        }
        this.anchors = Set.copyOf(anchors);
        this.anchorSubjects = anchors.stream().map(a -> a.getTrustedCert().getSubjectX500Principal())
                .collect(Collectors.toUnmodifiableSet());
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

    /**
     * Orders the presented certificates into a path from the leaf up to a CA of the bundle
     * (following issuer names), then has the JDK's PKIX validator check it: signatures, validity,
     * CA constraints, path lengths. Ordering ourselves and validating is several times cheaper than
     * the JDK's path builder, and every first check-in of a certificate pays it. A path we cannot
     * complete simply fails validation. Returns the earliest notAfter along the path.
     */
    private Instant buildChain(PresentedCertificate presented, Date at) {
        try {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            List<X509Certificate> path = new ArrayList<>();
            path.add(converter.getCertificate(presented.leaf()));
            Map<X500Principal, X509Certificate> bySubject = new HashMap<>();
            for (X509CertificateHolder other : presented.others()) {
                X509Certificate c = converter.getCertificate(other);
                bySubject.putIfAbsent(c.getSubjectX500Principal(), c);
            }
            X509Certificate last = path.get(0);
            while (!anchorSubjects.contains(last.getIssuerX500Principal()) && path.size() < MAX_PATH) {
                X509Certificate issuer = bySubject.remove(last.getIssuerX500Principal());
                if (issuer == null) {
                    break;
                }
                path.add(issuer);
                last = issuer;
            }
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(at);
            PKIXCertPathValidatorResult result = (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
            Instant until = path.get(0).getNotAfter().toInstant();
            for (X509Certificate c : path) {
                if (c.getNotAfter().toInstant().isBefore(until)) {
                    until = c.getNotAfter().toInstant();
                }
            }
            X509Certificate anchor = result.getTrustAnchor().getTrustedCert();
            return anchor != null && anchor.getNotAfter().toInstant().isBefore(until) ? anchor.getNotAfter().toInstant() : until;
        } catch (CertPathValidatorException e) {
            if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                    || e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID
                    || causedByValidity(e) || anyOutsideValidity(presented.others(), at)) {
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
