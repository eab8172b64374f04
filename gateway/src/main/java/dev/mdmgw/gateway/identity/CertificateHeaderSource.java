package dev.mdmgw.gateway.identity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The client certificate as a TLS-terminating proxy forwards it in a header: RFC 9440
 * {@code Client-Cert} form ({@code :base64(DER):}) or URL-escaped PEM (nginx's
 * {@code $ssl_client_escaped_cert}), with or without its BEGIN/END lines (Traefik sends it
 * without). The proxy must set or strip this header on every request:
 * whoever can send it directly can claim any certificate.
 */
public final class CertificateHeaderSource implements CertificateSource {
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";
    /** Between the markers PEM holds base64 and line breaks (spaces once a proxy unfolded it), nothing else. */
    private static final Pattern PEM_WHITESPACE = Pattern.compile("[ \t\r\n]");

    private final String header;

    public CertificateHeaderSource(String header) {
        this.header = header;
    }

    @Override
    public PresentedCertificate present(RawCheckin raw) {
        List<String> values = raw.headers().getAll(header);
        if (values.size() > 1) {
            // A proxy that appends instead of overwriting would let the client's own value through.
            throw new IdentityRejectedException(IdentityFailure.UNTRUSTED, header + " is present more than once");
        }
        String value = values.isEmpty() ? null : values.get(0);
        if (value == null || value.isBlank()) {
            throw new IdentityRejectedException(IdentityFailure.MISSING, "no client certificate in " + header);
        }
        byte[] der = decode(value.trim());
        try {
            return PresentedCertificate.of(new X509CertificateHolder(der), List.of());
        } catch (IOException | RuntimeException e) {
            throw unreadable();
        }
    }

    private byte[] decode(String value) {
        try {
            if (value.length() > 2 && value.startsWith(":") && value.endsWith(":")) {
                return Base64.getDecoder().decode(value.substring(1, value.length() - 1));
            }
            String pem = percentDecode(value);
            int begin = pem.indexOf(BEGIN);
            int end = pem.indexOf(END);
            String body;
            if (begin < 0 && end < 0) {
                body = pem;
            } else if (begin < 0 || end < begin) {
                throw unreadable();
            } else {
                body = pem.substring(begin + BEGIN.length(), end);
            }
            // Not the MIME decoder: it skips any character outside base64, so junk would pass unnoticed.
            return Base64.getDecoder().decode(PEM_WHITESPACE.matcher(body).replaceAll(""));
        } catch (IllegalArgumentException e) {
            throw unreadable();
        }
    }

    /** %XX only: a '+' in escaped PEM is base64, not a space (so not URLDecoder). */
    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new IllegalArgumentException("truncated escape");
                }
                int high = hexDigit(s.charAt(i + 1));
                int low = hexDigit(s.charAt(i + 2));
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("not a %XX escape");
                }
                out.write(high << 4 | low);
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                throw new IllegalArgumentException("not an escaped PEM");
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    /** 0-15, or -1 when {@code c} is no ASCII hex digit (Integer.parseInt would also take a sign). */
    private static int hexDigit(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }

    private IdentityRejectedException unreadable() {
        return new IdentityRejectedException(IdentityFailure.UNTRUSTED, header + " does not hold a certificate");
    }
}
