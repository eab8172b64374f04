package dev.mdmgw.gateway.mdm;

/** macOS user-channel digest handshake; {@code digestResponse} is null on the first request. */
public record UserAuthenticate(EnrollmentRef enrollment, String digestResponse) implements CheckinMessage {
    @Override
    public MessageType messageType() {
        return MessageType.USER_AUTHENTICATE;
    }

    @Override
    public String toString() {
        return "UserAuthenticate[enrollment=" + enrollment + ", digestResponse=" + Redact.secret(digestResponse) + "]";
    }
}
