package dev.mdmgw.gateway.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Bearer-key check for the admin API. Closed when no key is configured; compared in constant time. */
final class AdminAuth {
    private static final String BEARER = "bearer ";
    private final byte[] key;

    AdminAuth(Optional<String> key) {
        this.key = key.map(k -> k.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /** Empty when allowed, else the error to answer. */
    Optional<AdminError> check(HttpHeaders headers) {
        if (key == null) {
            return Optional.of(AdminError.closed());
        }
        String value = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (value == null || value.isBlank()) {
            return Optional.of(AdminError.noAuthToken());
        }
        if (value.length() <= BEARER.length() || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.of(AdminError.invalidToken());
        }
        byte[] presented = value.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, key) ? Optional.empty() : Optional.of(AdminError.invalidToken());
    }
}
