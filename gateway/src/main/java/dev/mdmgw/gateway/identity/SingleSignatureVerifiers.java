package dev.mdmgw.gateway.identity;

import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.DefaultCMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.jcajce.io.OutputStreamFactory;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * CMS signer verifiers that check the signature once. Bouncy Castle's JCA verifier provider pairs
 * every RSA verifier with a "raw" one and, to free PKCS#11 sessions, runs that one too after every
 * verification: a second RSA operation, half the cost of a check-in's identity check. Here the
 * JDK's {@link Signature} for the signer's algorithm is used directly.
 */
final class SingleSignatureVerifiers {
    private static final DefaultAlgorithmNameFinder NAMES = new DefaultAlgorithmNameFinder();
    // Read-only once built, so shared by every verifier: built per certificate they weighed ~10 KB each.
    private static final DefaultCMSSignatureAlgorithmNameGenerator SIGNATURE_NAMES =
            new DefaultCMSSignatureAlgorithmNameGenerator();
    private static final DefaultSignatureAlgorithmIdentifierFinder ALGORITHMS = new DefaultSignatureAlgorithmIdentifierFinder();
    private static final DigestCalculatorProvider DIGESTS = digests();

    private SingleSignatureVerifiers() {
    }

    static SignerInformationVerifier forKey(PublicKey key) {
        return new SignerInformationVerifier(SIGNATURE_NAMES, ALGORITHMS, new Provider(key), DIGESTS);
    }

    private static DigestCalculatorProvider digests() {
        try {
            return new JcaDigestCalculatorProviderBuilder().build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("the JDK's digests are always there", e);
        }
    }

    private record Provider(PublicKey key) implements ContentVerifierProvider {

        @Override
        public boolean hasAssociatedCertificate() {
            // No certificate: its validity is judged by our clock (DeviceTrust), not at the signing time the device claims.
            return false;
        }

        @Override
        public X509CertificateHolder getAssociatedCertificate() {
            return null;
        }

        @Override
        public ContentVerifier get(AlgorithmIdentifier algorithm) throws OperatorCreationException {
            try {
                Signature signature = Signature.getInstance(NAMES.getAlgorithmName(algorithm));
                signature.initVerify(key);
                return new Verifier(algorithm, signature);
            } catch (GeneralSecurityException e) {
                throw new OperatorCreationException("cannot verify " + NAMES.getAlgorithmName(algorithm) + ": "
                        + e.getMessage(), e);
            }
        }
    }

    private static final class Verifier implements ContentVerifier {
        private final AlgorithmIdentifier algorithm;
        private final Signature signature;
        private final OutputStream stream;

        Verifier(AlgorithmIdentifier algorithm, Signature signature) {
            this.algorithm = algorithm;
            this.signature = signature;
            this.stream = OutputStreamFactory.createStream(signature);
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return algorithm;
        }

        @Override
        public OutputStream getOutputStream() {
            return stream;
        }

        @Override
        public boolean verify(byte[] expected) {
            try {
                return signature.verify(expected);
            } catch (SignatureException e) {
                throw new RuntimeOperatorException("signature cannot be checked: " + e.getMessage(), e);
            }
        }
    }
}
