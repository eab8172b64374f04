package dev.mdmgw.gateway.identity;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/**
 * Certificates made in the test, with Bouncy Castle: CAs, intermediates, device identities,
 * Mdm-Signatures and the header forms proxies send. Keys are RSA 2048 like Apple's SCEP identities;
 * generating one takes tens of milliseconds, so tests share them where they can.
 */
public final class TestPki {
    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());

    private TestPki() {
    }

    public static KeyPair rsaKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed root CA. */
    public static Ca rootCa(String name) {
        KeyPair key = rsaKey();
        X500Name subject = new X500Name("CN=" + name);
        X509CertificateHolder cert = build(new JcaX509v3CertificateBuilder(subject, serial(), Date.from(Instant.now().minus(Duration.ofDays(1))),
                        Date.from(Instant.now().plus(Duration.ofDays(3650))), subject, key.getPublic()),
                true, null, key.getPrivate());
        return new Ca(cert, key, null);
    }

    public record Ca(X509CertificateHolder certificate, KeyPair key, Ca parent) {

        public Ca intermediate(String name) {
            KeyPair k = rsaKey();
            X509CertificateHolder cert = build(new JcaX509v3CertificateBuilder(certificate.getSubject(), serial(),
                            Date.from(Instant.now().minus(Duration.ofDays(1))), Date.from(Instant.now().plus(Duration.ofDays(1000))),
                            new X500Name("CN=" + name), k.getPublic()),
                    true, null, key.getPrivate());
            return new Ca(cert, k, this);
        }

        /** A device identity valid from a day ago for a year, for client authentication. */
        public Device device(String cn) {
            return device(cn, rsaKey(), Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)),
                    KeyPurposeId.id_kp_clientAuth);
        }

        /** {@code purpose} null: no extended key usage extension at all. */
        public Device device(String cn, KeyPair k, Instant notBefore, Instant notAfter, KeyPurposeId purpose) {
            X509CertificateHolder cert = build(new JcaX509v3CertificateBuilder(certificate.getSubject(), serial(),
                            Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + cn), k.getPublic()),
                    false, purpose, key.getPrivate());
            List<X509CertificateHolder> chain = new ArrayList<>();
            for (Ca c = this; c.parent() != null; c = c.parent()) {
                chain.add(c.certificate());
            }
            return new Device(cert, k, chain);
        }

        /** A TLS server certificate for 127.0.0.1 and localhost. */
        public Device server() {
            KeyPair k = rsaKey();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate.getSubject(), serial(),
                    Date.from(Instant.now().minus(Duration.ofDays(1))), Date.from(Instant.now().plus(Duration.ofDays(30))),
                    new X500Name("CN=localhost"), k.getPublic());
            try {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Device(build(b, false, KeyPurposeId.id_kp_serverAuth, key.getPrivate()), k, List.of());
        }

        /** The CA certificate as a PEM file in {@code dir}. */
        public Path writePem(Path dir, String fileName) {
            return write(dir.resolve(fileName), pemOf(certificate));
        }
    }

    /** A certificate with its key, and the intermediates between it and its root. */
    public record Device(X509CertificateHolder certificate, KeyPair key, List<X509CertificateHolder> intermediates) {

        public byte[] der() {
            try {
                return certificate.getEncoded();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public X509Certificate x509() {
            try {
                return new JcaX509CertificateConverter().getCertificate(certificate);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        public PrivateKey privateKey() {
            return key.getPrivate();
        }

        /** The {@code Mdm-Signature} a device sends for {@code body}: detached CMS, certificate (and chain) included. */
        public String sign(byte[] body) {
            return encode(signedData(body, false));
        }

        /** A CMS that encapsulates the body instead of being detached. */
        public String signAttached(byte[] body) {
            return encode(signedData(body, true));
        }

        private static String encode(CMSSignedData signed) {
            try {
                return Base64.getEncoder().encodeToString(signed.getEncoded("DER"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private CMSSignedData signedData(byte[] body, boolean encapsulate) {
            try {
                ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate());
                CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
                gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                        .build(signer, certificate));
                List<X509CertificateHolder> certs = new ArrayList<>();
                certs.add(certificate);
                certs.addAll(intermediates);
                gen.addCertificates(new JcaCertStore(certs.stream().map(TestPki::x509).toList()));
                return gen.generate(new CMSProcessableByteArray(body), encapsulate);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** RFC 9440 {@code Client-Cert}: {@code :base64(DER):}. */
        public String rfc9440() {
            return ":" + Base64.getEncoder().encodeToString(der()) + ":";
        }

        public String pem() {
            return TestPki.pemOf(certificate);
        }

        /** nginx's {@code $ssl_client_escaped_cert}: the PEM, URL-escaped. */
        public String escapedPem() {
            return URLEncoder.encode(pem(), StandardCharsets.US_ASCII).replace("+", "%20");
        }

        public Path writeCertificate(Path file) {
            return write(file, pem());
        }

        public Path writeKey(Path file) {
            try {
                return write(file, TestPki.pem(new JcaPKCS8Generator(key.getPrivate(), null)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static X509CertificateHolder build(X509v3CertificateBuilder b, boolean ca, KeyPurposeId purpose,
            PrivateKey issuerKey) {
        try {
            if (ca) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                if (purpose != null) {
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
                }
            }
            return b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static X509Certificate x509(X509CertificateHolder h) {
        try {
            return new JcaX509CertificateConverter().getCertificate(h);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pemOf(X509CertificateHolder certificate) {
        try {
            return pem(new JcaMiscPEMGenerator(certificate));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String pem(PemObjectGenerator generator) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
