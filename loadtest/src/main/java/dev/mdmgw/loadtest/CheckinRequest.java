package dev.mdmgw.loadtest;

/**
 * One ready-to-send check-in: the body bytes and, unless {@code --auth none}, the identity header
 * (name, value). {@code pushMagic} and {@code tokenHex} are set for TokenUpdates, for {@code --verify}.
 */
public record CheckinRequest(MessageType type, byte[] body, String headerName, String headerValue,
        String pushMagic, String tokenHex) {
}
