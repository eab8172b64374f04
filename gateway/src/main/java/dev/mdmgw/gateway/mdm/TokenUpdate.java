package dev.mdmgw.gateway.mdm;

/**
 * Push data for a channel. {@code unlockToken} is null when absent (absent keeps the stored one);
 * {@code notOnConsole} is null unless the device sent it (macOS user channels).
 */
public record TokenUpdate(EnrollmentRef enrollment, String topic, byte[] token, String pushMagic,
                          byte[] unlockToken, boolean awaitingConfiguration, String userShortName,
                          String userLongName, Boolean notOnConsole) implements CheckinMessage {
    @Override
    public MessageType messageType() {
        return MessageType.TOKEN_UPDATE;
    }

    @Override
    public String toString() {
        return "TokenUpdate[enrollment=" + enrollment + ", topic=" + topic + ", token=" + Redact.bytes(token)
                + ", pushMagic=" + Redact.secret(pushMagic) + ", unlockToken=" + Redact.bytes(unlockToken)
                + ", awaitingConfiguration=" + awaitingConfiguration + ", userShortName=" + userShortName
                + ", userLongName=" + userLongName + ", notOnConsole=" + notOnConsole + "]";
    }
}
