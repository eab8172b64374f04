package dev.mdmgw.gateway.identity;

import io.netty.handler.codec.http.HttpHeaders;
import javax.net.ssl.SSLSession;

/**
 * What the transport received, for the identity check: headers (Mdm-Signature, certificate header),
 * the exact body bytes, and the TLS session when the gateway terminated TLS itself (else null).
 */
public record RawCheckin(HttpHeaders headers, byte[] body, SSLSession tls) {
}
