// A fleet of signed benchmark devices for MDMGW_DEVICE_AUTH=signature: issues one identity
// certificate per device from the device CA, enrolls each device with a signed Authenticate, and
// writes signed TokenUpdates for bench/tokenupdate-signed.lua (wrk's Lua cannot sign).
//
//   java -cp "$BC" bench/SignedFleet.java --ca-cert data/device-ca/ca.pem --ca-key data/device-ca/ca.key \
//        --devices 10000 --target http://127.0.0.1:8080 --out bench/signed-fleet.lua [--skip-enroll] [--key-pool 64]
//   with BC = bcprov, bcpkix and bcutil jdk18on 1.87 jars (see bench/wrk-signed.sh).

import java.io.BufferedWriter;
import java.io.FileReader;
import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.IntStream;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
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
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

public final class SignedFleet {
    static final String TOPIC = "com.apple.mgmt.External.bench";
    // Devices are built, enrolled and written a chunk at a time: memory stays flat for big fleets,
    // and each chunk becomes one Lua function (LuaJIT allows 65,536 constants per function).
    static final int CHUNK = 1000;
    static final int IN_FLIGHT = 32;
    static final String CHECKIN_TYPE = "application/x-apple-aspen-mdm-checkin";

    // Byte for byte bench/tokenupdate.lua's template, so signed and unsigned runs send the same bodies.
    static final String TOKEN_UPDATE = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
            <plist version="1.0">
            <dict>
            \t<key>AwaitingConfiguration</key>
            \t<false/>
            \t<key>MessageType</key>
            \t<string>TokenUpdate</string>
            \t<key>PushMagic</key>
            \t<string>%s</string>
            \t<key>Token</key>
            \t<data>
            \t%s
            \t</data>
            \t<key>Topic</key>
            \t<string>%s</string>
            \t<key>UDID</key>
            \t<string>%s</string>
            \t<key>UnlockToken</key>
            \t<data>
            \tAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn8=
            \t</data>
            </dict>
            </plist>
            """;

    static final String AUTHENTICATE = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
            <plist version="1.0">
            <dict>
            \t<key>BuildVersion</key>
            \t<string>21F90</string>
            \t<key>DeviceName</key>
            \t<string>Bench iPhone %2$s</string>
            \t<key>MessageType</key>
            \t<string>Authenticate</string>
            \t<key>Model</key>
            \t<string>iPhone14,5</string>
            \t<key>OSVersion</key>
            \t<string>17.5.1</string>
            \t<key>ProductName</key>
            \t<string>iPhone14,5</string>
            \t<key>SerialNumber</key>
            \t<string>%2$s</string>
            \t<key>Topic</key>
            \t<string>%3$s</string>
            \t<key>UDID</key>
            \t<string>%1$s</string>
            </dict>
            </plist>
            """;

    record Device(int index, String udid, byte[] authenticate, String authenticateSig, byte[] tokenUpdate, String tokenUpdateSig) {
    }

    final X509CertificateHolder ca;
    final PrivateKey caKey;
    final List<KeyPair> keyPool;
    final DigestCalculatorProvider digests;
    final BigInteger serialBase;
    final SecureRandom random = new SecureRandom();

    SignedFleet(X509CertificateHolder ca, PrivateKey caKey, List<KeyPair> keyPool) throws Exception {
        this.ca = ca;
        this.caKey = caKey;
        this.keyPool = keyPool;
        this.digests = new JcaDigestCalculatorProviderBuilder().build();
        // Random high bits + device index: serials are distinct within a fleet and across runs.
        this.serialBase = new BigInteger(62, random).shiftLeft(32);
    }

    public static void main(String[] args) throws Exception {
        Path caCert = null, caKeyFile = null, out = null;
        String target = null;
        int devices = 0, poolSize = 64;
        boolean enroll = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--ca-cert" -> caCert = Path.of(args[++i]);
                case "--ca-key" -> caKeyFile = Path.of(args[++i]);
                case "--devices" -> devices = Integer.parseInt(args[++i]);
                case "--target" -> target = args[++i].replaceAll("/+$", "");
                case "--out" -> out = Path.of(args[++i]);
                case "--key-pool" -> poolSize = Integer.parseInt(args[++i]);
                case "--skip-enroll" -> enroll = false;
                default -> usage("unknown option " + args[i]);
            }
        }
        if (caCert == null || caKeyFile == null || out == null || devices < 1 || poolSize < 1 || (enroll && target == null)) {
            usage("missing or bad options");
        }

        long t0 = System.nanoTime();
        // RSA key generation (~0.1 s a key) would dominate a big fleet: a pool shared round-robin
        // bounds it, while every device still gets its own certificate (serial, subject).
        int keys = Math.min(devices, poolSize);
        List<KeyPair> pool = IntStream.range(0, keys).parallel().mapToObj(i -> rsaKeyPair()).toList();
        System.err.printf(Locale.ROOT, "%d RSA keys in %.1f s%n", keys, (System.nanoTime() - t0) / 1e9);

        SignedFleet fleet = new SignedFleet(readCertificate(caCert), readPrivateKey(caKeyFile), pool);
        HttpClient http = enroll ? HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build() : null;
        URI checkin = enroll ? URI.create(target + "/mdm/checkin") : null;

        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        tmp.toFile().deleteOnExit(); // a failed run leaves no half-written fleet behind
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write("-- " + devices + " signed TokenUpdates from bench/SignedFleet.java, for bench/tokenupdate-signed.lua\n");
            w.write("local t = {}\n");
            for (int from = 1; from <= devices; from += CHUNK) {
                int to = Math.min(devices, from + CHUNK - 1);
                // Signing (certificate, Authenticate, TokenUpdate: 3 RSA signatures per device) on every core.
                List<Device> chunk = IntStream.rangeClosed(from, to).parallel().mapToObj(fleet::device).toList();
                if (enroll) {
                    enroll(http, checkin, chunk);
                }
                writeChunk(w, chunk);
                System.err.printf(Locale.ROOT, "%d/%d devices%s, %.1f s%n", to, devices, enroll ? " enrolled" : "",
                        (System.nanoTime() - t0) / 1e9);
            }
            w.write("return t\n");
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.err.printf(Locale.ROOT, "wrote %s (%d devices, %.1f MB)%n", out, devices, Files.size(out) / 1e6);
    }

    static void usage(String why) {
        System.err.println(why + "\nusage: SignedFleet --ca-cert FILE --ca-key FILE --devices N --out FILE"
                + " (--target URL | --skip-enroll) [--key-pool K]");
        System.exit(2);
    }

    Device device(int index) {
        try {
            String udid = String.format(Locale.ROOT, "BENCH-%09d", index);
            KeyPair key = keyPool.get((index - 1) % keyPool.size());
            X509CertificateHolder cert = issue(udid, index, key);

            byte[] auth = String.format(Locale.ROOT, AUTHENTICATE, udid, String.format(Locale.ROOT, "BN%010d", index), TOPIC)
                    .getBytes(StandardCharsets.UTF_8);
            byte[] token = new byte[32];
            random.nextBytes(token);
            // A fixed PushMagic per device: the gateway stores whatever comes; a fresh one per request cannot be pre-signed.
            String pushMagic = UUID.nameUUIDFromBytes(udid.getBytes(StandardCharsets.UTF_8)).toString().toUpperCase(Locale.ROOT);
            byte[] update = String.format(Locale.ROOT, TOKEN_UPDATE, pushMagic, Base64.getEncoder().encodeToString(token), TOPIC, udid)
                    .getBytes(StandardCharsets.UTF_8);
            return new Device(index, udid, auth, sign(auth, cert, key), update, sign(update, cert, key));
        } catch (Exception e) {
            throw new IllegalStateException("device " + index + ": " + e, e);
        }
    }

    /** A device identity certificate: CN = UDID, clientAuth, digitalSignature, one year. */
    X509CertificateHolder issue(String udid, int index, KeyPair key) throws Exception {
        Date notBefore = new Date(System.currentTimeMillis() - 5 * 60_000L); // a little clock skew
        Date notAfter = new Date(notBefore.getTime() + 365L * 24 * 3600_000L);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, udid).build();
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        // The AKI must equal the CA's SKI where it has one, or chain building (openssl's included) rejects the issuer.
        SubjectKeyIdentifier caSki = SubjectKeyIdentifier.fromExtensions(ca.getExtensions());
        AuthorityKeyIdentifier aki = caSki != null ? new AuthorityKeyIdentifier(caSki.getKeyIdentifier())
                : ext.createAuthorityKeyIdentifier(ca.getSubjectPublicKeyInfo());
        var builder = new JcaX509v3CertificateBuilder(ca.getSubject(), serialBase.add(BigInteger.valueOf(index)),
                notBefore, notAfter, subject, key.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key.getPublic()))
                .addExtension(Extension.authorityKeyIdentifier, false, aki);
        return builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKey));
    }

    /** Mdm-Signature: base64 of a detached CMS SignedData over the exact body, with the signer's certificate. */
    String sign(byte[] body, X509CertificateHolder cert, KeyPair key) throws Exception {
        CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
        gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(digests)
                .setSignedAttributeGenerator(SignedFleet::signedAttributes)
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate()), cert));
        gen.addCertificate(cert);
        byte[] der = gen.generate(new CMSProcessableByteArray(body), false).getEncoded(ASN1Encoding.DER);
        return Base64.getEncoder().encodeToString(der);
    }

    // Just content-type, message-digest and signing-time (RFC 5652's usual set); Bouncy Castle's
    // default would add a CMS algorithm-protection attribute that devices do not send.
    static AttributeTable signedAttributes(java.util.Map<?, ?> params) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new Attribute(CMSAttributes.contentType,
                new DERSet((ASN1ObjectIdentifier) params.get(CMSAttributeTableGenerator.CONTENT_TYPE))));
        v.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(new Date()))));
        v.add(new Attribute(CMSAttributes.messageDigest,
                new DERSet(new DEROctetString((byte[]) params.get(CMSAttributeTableGenerator.DIGEST)))));
        return new AttributeTable(v);
    }

    /** Sends every device's signed Authenticate, IN_FLIGHT at a time; exits on the first non-200. */
    static void enroll(HttpClient http, URI checkin, List<Device> chunk) throws InterruptedException {
        Semaphore slots = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<Void>> sent = new ArrayList<>(chunk.size());
        for (Device d : chunk) {
            slots.acquire();
            HttpRequest req = HttpRequest.newBuilder(checkin).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", CHECKIN_TYPE)
                    .header("Mdm-Signature", d.authenticateSig())
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(d.authenticate())).build();
            sent.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString())
                    .handle((resp, err) -> {
                        slots.release();
                        if (err != null) {
                            fail(d.udid() + ": Authenticate failed: " + err);
                        } else if (resp.statusCode() != 200) {
                            fail(d.udid() + ": Authenticate answered " + resp.statusCode() + ": " + resp.body());
                        }
                        return null;
                    }));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    }

    // synchronized: the first failure exits while holding the lock, so only its message prints.
    static synchronized void fail(String message) {
        System.err.println("FAILED " + message);
        System.exit(1);
    }

    static void writeChunk(BufferedWriter w, List<Device> chunk) throws IOException {
        w.write(";(function()\n");
        for (Device d : chunk) {
            String body = new String(d.tokenUpdate(), StandardCharsets.UTF_8);
            // Lua long strings rewrite \r and end at their closing bracket: neither may occur, or the bytes sent would not be the bytes signed.
            if (body.contains("]==]") || body.indexOf('\r') >= 0) {
                throw new IllegalStateException(d.udid() + ": body cannot be a Lua long string");
            }
            w.write("t[" + d.index() + "]={body=[==[" + body + "]==],sig=\"" + d.tokenUpdateSig() + "\"}\n");
        }
        w.write("end)()\n");
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

    static X509CertificateHolder readCertificate(Path file) throws IOException {
        if (readPem(file) instanceof X509CertificateHolder cert) {
            return cert;
        }
        throw new IllegalArgumentException(file + ": no PEM certificate");
    }

    static PrivateKey readPrivateKey(Path file) throws IOException {
        Object pem = readPem(file);
        JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
        if (pem instanceof PrivateKeyInfo pkcs8) {
            return conv.getPrivateKey(pkcs8);
        }
        if (pem instanceof PEMKeyPair legacy) { // -----BEGIN RSA PRIVATE KEY-----, accepted too
            return conv.getKeyPair(legacy).getPrivate();
        }
        throw new IllegalArgumentException(file + ": no unencrypted PEM private key");
    }

    static Object readPem(Path file) throws IOException {
        try (Reader r = new FileReader(file.toFile(), StandardCharsets.UTF_8); PEMParser p = new PEMParser(r)) {
            return p.readObject();
        }
    }
}
