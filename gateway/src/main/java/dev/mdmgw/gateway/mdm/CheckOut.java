package dev.mdmgw.gateway.mdm;

/** The MDM profile was removed; device channel only. */
public record CheckOut(EnrollmentRef enrollment, String topic) implements CheckinMessage {
    @Override
    public MessageType messageType() {
        return MessageType.CHECK_OUT;
    }
}
