package dev.mdmgw.gateway.mdm;

/** Escrow of the macOS bootstrap token; {@code bootstrapToken} null or empty means delete it. */
public record SetBootstrapToken(EnrollmentRef enrollment, byte[] bootstrapToken, boolean awaitingConfiguration)
        implements CheckinMessage {
    @Override
    public MessageType messageType() {
        return MessageType.SET_BOOTSTRAP_TOKEN;
    }

    /** True when the device asks for the escrowed token to be removed. */
    public boolean isDelete() {
        return bootstrapToken == null || bootstrapToken.length == 0;
    }

    @Override
    public String toString() {
        return "SetBootstrapToken[enrollment=" + enrollment + ", bootstrapToken=" + Redact.bytes(bootstrapToken)
                + ", awaitingConfiguration=" + awaitingConfiguration + "]";
    }
}
