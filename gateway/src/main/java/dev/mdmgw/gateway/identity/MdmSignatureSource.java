package dev.mdmgw.gateway.identity;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.Store;

/**
 * {@code Mdm-Signature}: base64 of a CMS SignedData, detached, over the raw body bytes exactly as
 * received (never a re-encoding); its one signer's certificate, carried in the SignedData, is the
 * device's identity. Content-encapsulating signatures are refused: they would sign something else
 * than the body we act on.
 */
public final class MdmSignatureSource implements CertificateSource {
    public static final String HEADER = "Mdm-Signature";
    private static final JcaPEMKeyConverter KEYS = new JcaPEMKeyConverter();

    @Override
    public PresentedCertificate present(RawCheckin raw) {
        String value = raw.headers().get(HEADER);
        if (value == null || value.isBlank()) {
            throw new IdentityRejectedException(IdentityFailure.MISSING, "no Mdm-Signature header");
        }
        CMSSignedData signed = parse(value, raw.body());
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            throw bad("Mdm-Signature has " + signers.size() + " signers, expected one");
        }
        SignerInformation signer = signers.iterator().next();
        Store<X509CertificateHolder> store = signed.getCertificates();
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> matches = store.getMatches(signer.getSID());
        if (matches.isEmpty()) {
            throw bad("Mdm-Signature does not carry its signer's certificate");
        }
        X509CertificateHolder certificate = matches.iterator().next();
        List<X509CertificateHolder> others = new ArrayList<>();
        for (X509CertificateHolder c : store.getMatches(null)) {
            if (!c.equals(certificate)) {
                others.add(c);
            }
        }
        PresentedCertificate presented = PresentedCertificate.of(certificate, others);
        try {
            verify(signer, verifierFor(certificate));
        } catch (IdentityRejectedException e) {
            throw new IdentityRejectedException(e.failure(), e.getMessage(), presented.fingerprint());
        }
        return presented;
    }

    private static CMSSignedData parse(String value, byte[] body) {
        byte[] der;
        try {
            der = Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException unwrapped) {
            try {
                // Line-wrapped (MIME) base64 is legal too, but its decoder is ten times slower.
                der = Base64.getMimeDecoder().decode(value.trim());
            } catch (IllegalArgumentException e) {
                throw bad("Mdm-Signature is not base64");
            }
        }
        try {
            ContentInfo info = ContentInfo.getInstance(ASN1Primitive.fromByteArray(der));
            if (info == null || !CMSObjectIdentifiers.signedData.equals(info.getContentType())) {
                throw bad("Mdm-Signature is not a CMS SignedData");
            }
            if (SignedData.getInstance(info.getContent()).getEncapContentInfo().getContent() != null) {
                throw bad("Mdm-Signature must be detached, not carry its content");
            }
            return new CMSSignedData(new CMSProcessableByteArray(body), info);
        } catch (IdentityRejectedException e) {
            throw e;
        } catch (Exception e) {
            // BC reports malformed ASN.1 as IOException, IllegalArgumentException or IllegalStateException.
            throw bad("Mdm-Signature is not a CMS SignedData");
        }
    }

    /**
     * A verifier over the bare public key, not the certificate: with the certificate, BC also
     * checks its validity at the signing-time the device claims, and a device's clock is not ours
     * to trust (DeviceTrust checks validity against our clock). Null when the key is unusable.
     */
    private static SignerInformationVerifier verifierFor(X509CertificateHolder certificate) {
        try {
            PublicKey key = KEYS.getPublicKey(certificate.getSubjectPublicKeyInfo());
            return SingleSignatureVerifiers.forKey(key);
        } catch (PEMException | RuntimeException e) {
            return null;
        }
    }

    private static void verify(SignerInformation signer, SignerInformationVerifier verifier) {
        if (verifier == null) {
            throw bad("Mdm-Signature's certificate has an unusable public key");
        }
        boolean valid;
        try {
            valid = signer.verify(verifier);
        } catch (CMSSignerDigestMismatchException e) {
            throw bad("Mdm-Signature does not match the body");
        } catch (CMSException | RuntimeException e) {
            throw bad("Mdm-Signature does not verify: " + e.getMessage());
        }
        if (!valid) {
            throw bad("Mdm-Signature does not match the body");
        }
    }

    private static IdentityRejectedException bad(String reason) {
        return new IdentityRejectedException(IdentityFailure.BAD_SIGNATURE, reason);
    }
}
