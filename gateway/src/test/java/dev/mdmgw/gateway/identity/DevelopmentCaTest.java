package dev.mdmgw.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevelopmentCaTest {

    /** One generated CA for the class: generating its RSA key is the slow part. */
    @TempDir
    static Path dataDir;

    private static Path caPem;

    @BeforeAll
    static void generate() {
        caPem = DevelopmentCa.ensure(dataDir);
    }

    @Test
    void ensureCreatesTheCertificateAndAnOwnerOnlyKey() throws Exception {
        Path dir = dataDir.resolve("device-ca");
        assertThat(caPem).isEqualTo(dir.resolve("ca.pem"));
        assertThat(dir.resolve("ca.pem")).isRegularFile();
        assertThat(dir.resolve("ca.key")).isRegularFile();
        assertThat(Files.getPosixFilePermissions(dir.resolve("ca.key")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        // Nothing else left behind (no temporary files of the atomic writes).
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ca.pem", "ca.key");
        }
    }

    @Test
    void theCertificateIsACaWhoseKeyIsTheOneOnDisk() throws Exception {
        X509CertificateHolder ca = certificate();
        PrivateKey key = key();

        BasicConstraints constraints = BasicConstraints.fromExtensions(ca.getExtensions());
        assertThat(constraints).isNotNull();
        assertThat(constraints.isCA()).isTrue();
        assertThat(ca.getSubject()).isEqualTo(ca.getIssuer());
        assertThat(ca.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca))).as("self-signed").isTrue();

        PublicKey published = new JcaX509CertificateConverter().getCertificate(ca).getPublicKey();
        assertThat(((RSAPrivateCrtKey) key).getModulus()).isEqualTo(((RSAPublicKey) published).getModulus());
        byte[] challenge = "the key signs what the certificate verifies".getBytes();
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(challenge);
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(published);
        verifier.update(challenge);
        assertThat(verifier.verify(signer.sign())).isTrue();
    }

    @Test
    void aSecondEnsureReusesTheSameFiles() throws Exception {
        Path dir = dataDir.resolve("device-ca");
        byte[] cert = Files.readAllBytes(dir.resolve("ca.pem"));
        byte[] key = Files.readAllBytes(dir.resolve("ca.key"));

        assertThat(DevelopmentCa.ensure(dataDir)).isEqualTo(caPem);

        assertThat(Files.readAllBytes(dir.resolve("ca.pem"))).isEqualTo(cert);
        assertThat(Files.readAllBytes(dir.resolve("ca.key"))).isEqualTo(key);
    }

    @Test
    void aDeviceCertificateIssuedWithTheKeyIsTrusted() throws Exception {
        X509CertificateHolder ca = certificate();
        KeyPair deviceKey = TestPki.rsaKey();
        Instant now = Instant.now();
        X509CertificateHolder device = new JcaX509v3CertificateBuilder(ca.getSubject(), BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(30))),
                new X500Name("CN=load test device"), deviceKey.getPublic())
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(key()));

        DeviceTrust trust = DeviceTrust.fromPemBundle(caPem, 10);

        assertThatCode(() -> trust.check(PresentedCertificate.of(device, List.of()), now)).doesNotThrowAnyException();
    }

    private static X509CertificateHolder certificate() throws Exception {
        try (Reader in = Files.newBufferedReader(caPem); PEMParser pem = new PEMParser(in)) {
            return (X509CertificateHolder) pem.readObject();
        }
    }

    private static PrivateKey key() throws Exception {
        try (Reader in = Files.newBufferedReader(caPem.resolveSibling("ca.key")); PEMParser pem = new PEMParser(in)) {
            return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) pem.readObject());
        }
    }
}
