package dev.mdmgw.gateway.service.profile;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Signs enrollment profiles as CMS SignedData with the content inside, as devices install them
 * ({@code MDMGW_PROFILE_SIGNING_CERT_FILE}, {@code MDMGW_PROFILE_SIGNING_KEY_FILE}: the first
 * certificate of the PEM file signs; the others are the chain and travel along).
 */
public final class ProfileSigner {
    private final PrivateKey key;
    private final List<X509Certificate> chain;

    public ProfileSigner(PrivateKey key, List<X509Certificate> chain) {
        this.key = key;
        this.chain = List.copyOf(chain);
    }

    /** Reads both PEM files; blocking, for start-up. */
    public static ProfileSigner read(Path certFile, Path keyFile) {
        List<X509Certificate> chain = new ArrayList<>();
        PrivateKey key;
        try (Reader in = Files.newBufferedReader(certFile); PEMParser pem = new PEMParser(in)) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("MDMGW_PROFILE_SIGNING_CERT_FILE " + certFile + ": " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("MDMGW_PROFILE_SIGNING_CERT_FILE " + certFile + ": no PEM certificate");
        }
        try (Reader in = Files.newBufferedReader(keyFile); PEMParser pem = new PEMParser(in)) {
            Object o = pem.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            key = o instanceof PEMKeyPair pair ? converter.getKeyPair(pair).getPrivate()
                    : o instanceof PrivateKeyInfo info ? converter.getPrivateKey(info) : null;
        } catch (IOException e) {
            throw new IllegalArgumentException("MDMGW_PROFILE_SIGNING_KEY_FILE " + keyFile + ": " + e.getMessage(), e);
        }
        if (key == null) {
            throw new IllegalArgumentException("MDMGW_PROFILE_SIGNING_KEY_FILE " + keyFile
                    + ": not an unencrypted PEM private key");
        }
        return new ProfileSigner(key, chain);
    }

    /** CPU work (and, for EC keys, randomness): call it off the event loop. */
    public byte[] sign(byte[] profile) {
        try {
            String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .build(new JcaContentSignerBuilder(algorithm).build(key), chain.get(0)));
            generator.addCertificates(new JcaCertStore(chain));
            return generator.generate(new CMSProcessableByteArray(profile), true).getEncoded();
        } catch (OperatorCreationException | CMSException | CertificateException | IOException e) {
            throw new IllegalStateException("the enrollment profile could not be signed", e);
        }
    }
}
