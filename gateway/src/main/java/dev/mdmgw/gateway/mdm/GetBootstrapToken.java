package dev.mdmgw.gateway.mdm;

/** The device asks for its escrowed bootstrap token. */
public record GetBootstrapToken(EnrollmentRef enrollment, boolean awaitingConfiguration) implements CheckinMessage {
    @Override
    public MessageType messageType() {
        return MessageType.GET_BOOTSTRAP_TOKEN;
    }
}
