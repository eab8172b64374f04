package dev.mdmgw.gateway.identity;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's device CA: generated once into {@code <data dir>/device-ca/} (certificate
 * {@code ca.pem}, unencrypted PKCS#8 key {@code ca.key}, owner-only) so a newcomer can sign
 * check-ins, and the load tester can issue device identities, without any PKI of their own.
 * Never for production: the key sits next to the data.
 */
public final class DevelopmentCa {
    public static final String DIRECTORY = "device-ca";
    private static final Logger log = LoggerFactory.getLogger(DevelopmentCa.class);
    private static final Duration VALIDITY = Duration.ofDays(3650);

    private DevelopmentCa() {
    }

    /** The CA certificate's path, generating the CA first when the data dir has none. */
    public static Path ensure(Path dataDir) {
        Path dir = dataDir.resolve(DIRECTORY);
        Path cert = dir.resolve("ca.pem");
        Path key = dir.resolve("ca.key");
        if (Files.isReadable(cert) && Files.isReadable(key)) {
            log.info("device identity CA (development): {}, key {}", cert.toAbsolutePath(), key.toAbsolutePath());
            return cert;
        }
        try {
            Files.createDirectories(dir);
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            KeyPair pair = rsa.generateKeyPair();
            write(key, pem(new JcaPKCS8Generator(pair.getPrivate(), null)), true);
            write(cert, pem(new JcaMiscPEMGenerator(selfSigned(pair))), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the development device CA under " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate the development device CA", e);
        }
        log.warn("generated a development device identity CA: {} (key {}); issue device certificates from it "
                + "for testing only, and set MDMGW_DEVICE_CA_FILE to your real SCEP/ACME CA in production",
                cert.toAbsolutePath(), key.toAbsolutePath());
        return cert;
    }

    private static X509CertificateHolder selfSigned(KeyPair pair) throws GeneralSecurityException, OperatorCreationException,
            IOException {
        X500Name name = new X500Name("CN=mdm-gateway development device CA,O=mdm-gateway");
        Instant now = Instant.now();
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        return new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), name, pair.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()))
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()));
    }

    private static String pem(PemObjectGenerator generator) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(generator);
        }
        return out.toString();
    }

    /** Written whole or not at all; a key readable by its owner only. */
    private static void write(Path target, String content, boolean secret) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: its default permissions apply.
            }
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
