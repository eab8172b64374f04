package dev.mdmgw.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mdmgw.gateway.identity.TestPki.Device;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertificateHeaderSourceTest {
    private static final String HEADER = "X-Client-Cert";
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";

    private static Device device;
    private static byte[] sha256;

    private final CertificateHeaderSource source = new CertificateHeaderSource(HEADER);

    @BeforeAll
    static void pki() throws Exception {
        device = TestPki.rootCa("header test root").device("device");
        sha256 = MessageDigest.getInstance("SHA-256").digest(device.der());
    }

    @Test
    void rfc9440AndNginxEscapedPemYieldTheSameCertificate() {
        PresentedCertificate rfc9440 = source.present(withHeader(device.rfc9440()));
        PresentedCertificate escaped = source.present(withHeader(device.escapedPem()));

        assertThat(rfc9440.fingerprint().bytes()).isEqualTo(sha256);
        assertThat(escaped.fingerprint()).isEqualTo(rfc9440.fingerprint());
        assertThat(escaped.der()).isEqualTo(device.der());
        assertThat(rfc9440.others()).isEmpty();
    }

    @Test
    void aPlusInEscapedPemIsBase64NotASpace() {
        // Proxies that escape only what a header cannot carry leave base64's '+' (and '/', '=') as they are.
        String pem = device.pem();
        assertThat(pem).as("a 2048-bit certificate's base64 has a '+' somewhere").contains("+");
        String escaped = pem.replace("\n", "%0A").replace(" ", "%20");

        assertThat(source.present(withHeader(escaped)).fingerprint().bytes()).isEqualTo(sha256);
    }

    @Test
    void rawPemIsAccepted() {
        // Headers cannot carry line breaks: unescaped PEM arrives on one line, as Apache's %{SSL_CLIENT_CERT}s does.
        String oneLine = device.pem().strip().replace("\n", " ");

        assertThat(source.present(withHeader(oneLine)).fingerprint().bytes()).isEqualTo(sha256);
    }

    @Test
    void noOrBlankHeaderIsMissing() {
        IdentityRejectedException e = assertRefused(new RawCheckin(new DefaultHttpHeaders(), new byte[0], null),
                IdentityFailure.MISSING);
        assertThat(e.getMessage()).contains(HEADER);
        assertRefused(withHeader(""), IdentityFailure.MISSING);
    }

    @Test
    void garbageIsUntrusted() {
        assertUnreadable("garbage");
        assertUnreadable("::");
        assertUnreadable(":not base64!:");
        assertUnreadable(":" + Base64.getEncoder().encodeToString("not a certificate".getBytes()) + ":");
        assertUnreadable(BEGIN + " " + Base64.getEncoder().encodeToString("not a certificate".getBytes()) + " " + END);
    }

    @Test
    void brokenPercentEscapesAreUntrusted() {
        String escaped = device.escapedPem();
        assertUnreadable(escaped + "%2");
        assertUnreadable(escaped + "%");
        assertUnreadable(escaped.replaceFirst("%0A", "%ZZ"));
        assertUnreadable(escaped.replaceFirst("%0A", "%G0"));
        // Integer.parseInt would take a sign: "%-1" and "%+A" are no %XX escape either.
        assertUnreadable(escaped.replaceFirst("%0A", "%-1"));
        assertUnreadable(escaped.replaceFirst("%0A", "%+A"));
    }

    @Test
    void nonAsciiIsUntrusted() {
        int middle = device.pem().indexOf('\n', device.pem().length() / 2);
        String escaped = device.escapedPem();
        int escapedMiddle = escaped.indexOf("%0A", escaped.length() / 2);

        assertUnreadable(escaped.substring(0, escapedMiddle) + "é" + escaped.substring(escapedMiddle));
        assertUnreadable(escaped.substring(0, escapedMiddle) + "%C3%A9" + escaped.substring(escapedMiddle));
        String oneLine = device.pem().substring(0, middle) + "é" + device.pem().substring(middle);
        assertUnreadable(oneLine.strip().replace("\n", " "));
        String rfc9440 = device.rfc9440();
        assertUnreadable(rfc9440.substring(0, 40) + "é" + rfc9440.substring(40));
    }

    @Test
    void pemWithoutEndMarkerIsUntrusted() {
        String pem = device.pem().strip();
        String withoutEnd = pem.substring(0, pem.indexOf(END)).replace("\n", " ");
        assertUnreadable(withoutEnd);
        assertUnreadable(device.escapedPem().replace("-----END%20CERTIFICATE-----", ""));
    }

    private void assertUnreadable(String value) {
        IdentityRejectedException e = assertRefused(withHeader(value), IdentityFailure.UNTRUSTED);
        assertThat(e.getMessage()).as("reason for %s", value).contains(HEADER);
    }

    private IdentityRejectedException assertRefused(RawCheckin raw, IdentityFailure expected) {
        IdentityRejectedException e = catchThrowableOfType(IdentityRejectedException.class, () -> source.present(raw));
        assertThat(e).as("refusal of %s", raw.headers().get(HEADER)).isNotNull();
        assertThat(e.failure()).isEqualTo(expected);
        assertThat(e.status()).isEqualTo(403);
        return e;
    }

    private static RawCheckin withHeader(String value) {
        return new RawCheckin(new DefaultHttpHeaders().set(HEADER, value), new byte[0], null);
    }
}
