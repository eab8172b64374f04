package dev.mdmgw.gateway.mdm;

/**
 * A token request. {@code tokenServiceType} is one of {@link #MAID} or {@link #WATCH_PAIRING};
 * the three {@code TokenParameters} values are set (all of them) for watch pairing, else null
 * unless the device sent them.
 */
public record GetToken(EnrollmentRef enrollment, String tokenServiceType, String securityToken, String phoneUdid,
                       String watchUdid) implements CheckinMessage {

    public static final String MAID = "com.apple.maid";
    public static final String WATCH_PAIRING = "com.apple.watch.pairing";

    @Override
    public MessageType messageType() {
        return MessageType.GET_TOKEN;
    }

    @Override
    public String toString() {
        return "GetToken[enrollment=" + enrollment + ", tokenServiceType=" + tokenServiceType + ", securityToken="
                + Redact.secret(securityToken) + ", phoneUdid=" + phoneUdid + ", watchUdid=" + watchUdid + "]";
    }
}
