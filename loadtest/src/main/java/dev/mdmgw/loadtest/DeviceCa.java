package dev.mdmgw.loadtest;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Date;
import java.util.List;
import java.util.stream.IntStream;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The device CA (PEM certificate, unencrypted PEM key, like the gateway's dev CA in
 * {@code data/device-ca/}) and a pool of RSA-2048 key pairs: generating a key takes ~0.1 s, so a
 * big fleet shares a few dozen round-robin, while every device still gets its own certificate.
 */
public final class DeviceCa {
    private final X509CertificateHolder certificate;
    private final PrivateKey key;
    private final List<KeyPair> keyPool;
    // Random high bits + device index: serials are distinct within a fleet and across runs.
    private final BigInteger serialBase = new BigInteger(62, new SecureRandom()).shiftLeft(32);

    public DeviceCa(X509CertificateHolder certificate, PrivateKey key, int poolSize) {
        this.certificate = certificate;
        this.key = key;
        this.keyPool = IntStream.range(0, poolSize).parallel().mapToObj(i -> rsaKeyPair()).toList();
    }

    public static DeviceCa load(Path certFile, Path keyFile, int poolSize) throws IOException {
        if (!(readPem(certFile) instanceof X509CertificateHolder cert)) {
            throw new IllegalArgumentException(certFile + ": no PEM certificate");
        }
        Object pem = readPem(keyFile);
        JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
        PrivateKey k;
        if (pem instanceof PrivateKeyInfo pkcs8) {
            k = conv.getPrivateKey(pkcs8);
        } else if (pem instanceof PEMKeyPair legacy) { // -----BEGIN RSA PRIVATE KEY-----, accepted too
            k = conv.getKeyPair(legacy).getPrivate();
        } else {
            throw new IllegalArgumentException(keyFile + ": no unencrypted PEM private key");
        }
        return new DeviceCa(cert, k, poolSize);
    }

    /** A device identity: CN = UDID, clientAuth, digitalSignature, one year, key from the pool. */
    public DeviceIdentity issue(String udid, int index) {
        KeyPair k = keyPool.get(index % keyPool.size());
        try {
            Date notBefore = new Date(System.currentTimeMillis() - 5 * 60_000L); // a little clock skew
            Date notAfter = new Date(notBefore.getTime() + 365L * 24 * 3600_000L);
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, udid).build();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            // The AKI must equal the CA's SKI where it has one, or chain building rejects the issuer.
            SubjectKeyIdentifier caSki = SubjectKeyIdentifier.fromExtensions(certificate.getExtensions());
            AuthorityKeyIdentifier aki = caSki != null ? new AuthorityKeyIdentifier(caSki.getKeyIdentifier())
                    : ext.createAuthorityKeyIdentifier(certificate.getSubjectPublicKeyInfo());
            X509CertificateHolder cert = new JcaX509v3CertificateBuilder(certificate.getSubject(),
                    serialBase.add(BigInteger.valueOf(index)), notBefore, notAfter, subject, k.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(k.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, aki)
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(key));
            return new DeviceIdentity(cert, k);
        } catch (Exception e) {
            throw new IllegalStateException(udid + ": cannot issue its certificate: " + e, e);
        }
    }

    static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object readPem(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            return p.readObject();
        }
    }
}
