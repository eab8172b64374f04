package dev.mdmgw.gateway.service;

import com.dd.plist.NSDictionary;
import java.nio.charset.StandardCharsets;

/**
 * An answer to a device that is not a refusal: usually a 200, empty or with a body; a forwarding
 * handler may pass another status through (a declarative-management backend's 404).
 */
public record CheckinReply(int status, byte[] body, String contentType) {

    private static final CheckinReply EMPTY = new CheckinReply(200, null, null);

    public static CheckinReply empty() {
        return EMPTY;
    }

    /** A 200 with a body. */
    public static CheckinReply ok(byte[] body, String contentType) {
        return new CheckinReply(200, body, contentType);
    }

    /** A 200 with a plist dictionary, as the check-in answers that carry data are. */
    public static CheckinReply plist(NSDictionary dict) {
        return ok(dict.toXMLPropertyList().getBytes(StandardCharsets.UTF_8), "application/xml");
    }

    public boolean isEmpty() {
        return body == null;
    }
}
