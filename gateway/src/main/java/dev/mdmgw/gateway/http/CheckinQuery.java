package dev.mdmgw.gateway.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;

/**
 * The enrollment token a check-in URL carries: profiles built here point devices at
 * {@code /mdm/checkin?token=<enrollment token id>}. A URL without a query costs one scan for '?'.
 */
final class CheckinQuery {
    private CheckinQuery() {
    }

    /** Null when the URI has no {@code token} parameter, or a malformed query. */
    static String enrollmentToken(String uri) {
        if (uri.indexOf('?') < 0) {
            return null;
        }
        try {
            List<String> values = new QueryStringDecoder(uri).parameters().get("token");
            return values == null || values.isEmpty() ? null : values.get(0);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
