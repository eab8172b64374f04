package dev.mdmgw.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mdmgw.gateway.identity.TestPki.Ca;
import dev.mdmgw.gateway.identity.TestPki.Device;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MdmSignatureSourceTest {
    private static final byte[] BODY = """
            <?xml version="1.0" encoding="UTF-8"?>
            <plist version="1.0"><dict><key>MessageType</key><string>TokenUpdate</string></dict></plist>
            """.getBytes(StandardCharsets.UTF_8);

    private static Ca root;
    private static Ca intermediate;
    private static Device device;
    private static Device other;
    private static Device underIntermediate;

    private final MdmSignatureSource source = new MdmSignatureSource();

    @BeforeAll
    static void pki() {
        root = TestPki.rootCa("signature test root");
        intermediate = root.intermediate("signature test intermediate");
        // RSA key generation is the slow part: one key for every device certificate of the class.
        KeyPair key = TestPki.rsaKey();
        Instant from = Instant.now().minus(Duration.ofDays(1));
        Instant until = Instant.now().plus(Duration.ofDays(365));
        device = root.device("device", key, from, until, KeyPurposeId.id_kp_clientAuth);
        other = root.device("other", key, from, until, KeyPurposeId.id_kp_clientAuth);
        underIntermediate = intermediate.device("leaf", key, from, until, KeyPurposeId.id_kp_clientAuth);
    }

    @Test
    void aValidSignatureYieldsTheSignersCertificateAndItsSha256() throws Exception {
        PresentedCertificate presented = source.present(signed(device.sign(BODY), BODY));

        assertThat(presented.leaf()).isEqualTo(device.certificate());
        assertThat(presented.der()).isEqualTo(device.der());
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(device.der());
        assertThat(presented.fingerprint().bytes()).isEqualTo(sha256);
        assertThat(presented.others()).isEmpty();
    }

    @Test
    void intermediatesCarriedInTheCmsComeBackAsOthers() {
        PresentedCertificate presented = source.present(signed(underIntermediate.sign(BODY), BODY));

        assertThat(presented.leaf()).isEqualTo(underIntermediate.certificate());
        assertThat(presented.others()).containsExactly(intermediate.certificate());
    }

    @Test
    void aBodyAlteredByOneByteIsABadSignature() {
        String signature = device.sign(BODY);
        byte[] altered = BODY.clone();
        altered[altered.length / 2] ^= 1;

        assertRefused(signed(signature, altered), IdentityFailure.BAD_SIGNATURE);
    }

    @Test
    void noOrBlankHeaderIsMissing() {
        assertRefused(new RawCheckin(new DefaultHttpHeaders(), BODY, null), IdentityFailure.MISSING);
        // Netty's header validation refuses whitespace-only values, so an empty one is the blank that can arrive.
        assertRefused(signed("", BODY), IdentityFailure.MISSING);
    }

    @Test
    void unreadableHeadersAreBadSignatures() {
        assertRefused(signed("%%% not base64 at all %%%", BODY), IdentityFailure.BAD_SIGNATURE);
        assertRefused(signed(base64("no CMS in here, just words".getBytes(StandardCharsets.US_ASCII)), BODY),
                IdentityFailure.BAD_SIGNATURE);
    }

    @Test
    void aCmsThatIsNotSignedDataIsABadSignature() throws Exception {
        byte[] data = new ContentInfo(CMSObjectIdentifiers.data, new DEROctetString(BODY)).getEncoded("DER");

        assertRefused(signed(base64(data), BODY), IdentityFailure.BAD_SIGNATURE);
    }

    @Test
    void aSignatureCarryingItsContentIsRefused() {
        // Verifiable on its own, and over the very same bytes: still refused, a signature must be detached.
        IdentityRejectedException e = assertRefused(signed(device.signAttached(BODY), BODY), IdentityFailure.BAD_SIGNATURE);
        assertThat(e.getMessage()).contains("detached");
    }

    @Test
    void signedDataWithZeroOrTwoSignersIsABadSignature() throws Exception {
        assertRefused(signed(cms(List.of(), List.of(device)), BODY), IdentityFailure.BAD_SIGNATURE);
        assertRefused(signed(cms(List.of(device, other), List.of(device, other)), BODY), IdentityFailure.BAD_SIGNATURE);
    }

    @Test
    void aSignerWhoseCertificateIsNotIncludedIsABadSignature() throws Exception {
        assertRefused(signed(cms(List.of(device), List.of()), BODY), IdentityFailure.BAD_SIGNATURE);
        // Another certificate than the signer's does not stand in for it.
        assertRefused(signed(cms(List.of(device), List.of(other)), BODY), IdentityFailure.BAD_SIGNATURE);
    }

    @Test
    void lineWrappedBase64IsAccepted() {
        String signature = device.sign(BODY);
        String[] lines = Pattern.compile("(?<=\\G.{76})").split(signature);
        assertThat(lines).hasSizeGreaterThan(2);

        // What Netty hands on for a folded (obs-fold) header: the lines joined by spaces.
        PresentedCertificate folded = source.present(signed(String.join(" ", lines), BODY));
        assertThat(folded.leaf()).isEqualTo(device.certificate());

        // MIME line breaks themselves (Netty's validating headers refuse CR/LF, so only unvalidated ones carry them).
        HttpHeaders raw = new DefaultHttpHeaders(false).set(MdmSignatureSource.HEADER, String.join("\r\n", lines));
        PresentedCertificate wrapped = source.present(new RawCheckin(raw, BODY, null));
        assertThat(wrapped.leaf()).isEqualTo(device.certificate());
    }

    /** A detached signature over {@code body} by each of {@code signers}, carrying {@code certificates}. */
    private static String cms(List<Device> signers, List<Device> certificates) throws Exception {
        CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
        for (Device d : signers) {
            gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(d.privateKey()), d.certificate()));
        }
        if (!certificates.isEmpty()) {
            gen.addCertificates(new JcaCertStore(certificates.stream().map(Device::x509).toList()));
        }
        return base64(gen.generate(new CMSProcessableByteArray(BODY), false).getEncoded("DER"));
    }

    private IdentityRejectedException assertRefused(RawCheckin raw, IdentityFailure expected) {
        IdentityRejectedException e = catchThrowableOfType(IdentityRejectedException.class, () -> source.present(raw));
        assertThat(e).as("refusal").isNotNull();
        assertThat(e.failure()).isEqualTo(expected);
        assertThat(e.status()).isEqualTo(403);
        return e;
    }

    private static RawCheckin signed(String signature, byte[] body) {
        return new RawCheckin(new DefaultHttpHeaders().set(MdmSignatureSource.HEADER, signature), body, null);
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
