package dev.mdmgw.gateway.mdm;

/** (Re-)enrollment starts; device channel only. Device facts are null when the device omits them. */
public record Authenticate(EnrollmentRef enrollment, String topic, String serialNumber, String model,
                           String modelName, String productName, String deviceName, String osVersion,
                           String buildVersion, String imei, String meid) implements CheckinMessage {
    @Override
    public MessageType messageType() {
        return MessageType.AUTHENTICATE;
    }
}
