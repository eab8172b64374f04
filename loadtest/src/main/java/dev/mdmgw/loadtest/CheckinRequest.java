package dev.mdmgw.loadtest;

/**
 * One ready-to-send check-in: the body bytes and, unless {@code --auth none}, the identity header
 * (name, value). {@code pushMagic} and {@code tokenHex} are set for TokenUpdates, for {@code --verify};
 * {@code variant} tells a device's TokenUpdates apart (0 for the other types).
 */
public record CheckinRequest(MessageType type, int variant, byte[] body, String headerName, String headerValue,
        String pushMagic, String tokenHex) {
}
