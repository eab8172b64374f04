package dev.mdmgw.gateway.mdm;

/**
 * A declarative-management request. {@code endpoint} is {@code tokens}, {@code declaration-items},
 * {@code status} or {@code declaration/<type>/<identifier>}; {@code data} (JSON) is null when absent.
 */
public record DeclarativeManagement(EnrollmentRef enrollment, String endpoint, byte[] data) implements CheckinMessage {
    @Override
    public MessageType messageType() {
        return MessageType.DECLARATIVE_MANAGEMENT;
    }

    @Override
    public String toString() {
        return "DeclarativeManagement[enrollment=" + enrollment + ", endpoint=" + endpoint + ", data="
                + Redact.bytes(data) + "]";
    }
}
