package dev.mdmgw.gateway.identity;

/**
 * Where a request's identity certificate comes from: the Mdm-Signature, a proxy's header, or the
 * TLS handshake. Throws {@link IdentityRejectedException} (missing, bad_signature, untrusted) when
 * there is none or it cannot be read. Pure CPU work: runs on the decode scheduler, never the event loop.
 */
public interface CertificateSource {

    PresentedCertificate present(RawCheckin raw);
}
