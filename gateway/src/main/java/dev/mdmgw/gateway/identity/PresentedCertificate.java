package dev.mdmgw.gateway.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The identity certificate a request came with, plus whatever other certificates came along
 * (intermediates from the CMS or the TLS chain), not yet trusted.
 */
public record PresentedCertificate(X509CertificateHolder leaf, List<X509CertificateHolder> others, byte[] der,
        Fingerprint fingerprint) {

    public static PresentedCertificate of(X509CertificateHolder leaf, List<X509CertificateHolder> others) {
        try {
            byte[] der = leaf.getEncoded();
            return new PresentedCertificate(leaf, List.copyOf(others), der, Fingerprint.of(der));
        } catch (IOException e) {
            throw new UncheckedIOException("a parsed certificate re-encodes", e);
        }
    }
}
