package dev.mdmgw.gateway.mdm;

/** The device (iOS/visionOS 26, ADE) asks for its return-to-service settings; device channel only. */
public record ReturnToService(EnrollmentRef enrollment) implements CheckinMessage {
    @Override
    public MessageType messageType() {
        return MessageType.RETURN_TO_SERVICE;
    }
}
