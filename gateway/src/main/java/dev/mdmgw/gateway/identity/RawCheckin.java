package dev.mdmgw.gateway.identity;

import io.netty.handler.codec.http.HttpHeaders;

/** What the transport received, for the identity check: headers (Mdm-Signature, cert header) and the exact body bytes. */
public record RawCheckin(HttpHeaders headers, byte[] body) {
}
