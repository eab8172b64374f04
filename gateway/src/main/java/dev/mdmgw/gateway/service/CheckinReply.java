package dev.mdmgw.gateway.service;

/** A 200 answer to a device: empty, or a body with its content type. */
public record CheckinReply(byte[] body, String contentType) {

    private static final CheckinReply EMPTY = new CheckinReply(null, null);

    public static CheckinReply empty() {
        return EMPTY;
    }

    public boolean isEmpty() {
        return body == null;
    }
}
