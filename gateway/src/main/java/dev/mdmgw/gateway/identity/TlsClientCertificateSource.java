package dev.mdmgw.gateway.identity;

import java.io.IOException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The client certificate of the gateway's own mutual-TLS handshake. The handshake already required
 * one that chains to the device CA; this makes it the identity, and feeds it to the same trust and
 * binding checks as the other modes.
 */
public final class TlsClientCertificateSource implements CertificateSource {

    @Override
    public PresentedCertificate present(RawCheckin raw) {
        if (raw.tls() == null) {
            throw new IdentityRejectedException(IdentityFailure.MISSING, "no TLS client certificate");
        }
        Certificate[] chain;
        try {
            chain = raw.tls().getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            throw new IdentityRejectedException(IdentityFailure.MISSING, "no TLS client certificate");
        }
        try {
            List<X509CertificateHolder> holders = new ArrayList<>(chain.length);
            for (Certificate c : chain) {
                holders.add(new X509CertificateHolder(c.getEncoded()));
            }
            return PresentedCertificate.of(holders.get(0), holders.subList(1, holders.size()));
        } catch (IOException | CertificateEncodingException | RuntimeException e) {
            throw new IdentityRejectedException(IdentityFailure.UNTRUSTED, "the TLS client certificate is unreadable");
        }
    }
}
