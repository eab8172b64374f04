package dev.mdmgw.gateway.mdm;

/** The check-in {@code MessageType} values this gateway understands. */
public enum MessageType {
    AUTHENTICATE("Authenticate"),
    TOKEN_UPDATE("TokenUpdate"),
    CHECK_OUT("CheckOut"),
    SET_BOOTSTRAP_TOKEN("SetBootstrapToken"),
    GET_BOOTSTRAP_TOKEN("GetBootstrapToken"),
    GET_TOKEN("GetToken"),
    USER_AUTHENTICATE("UserAuthenticate"),
    DECLARATIVE_MANAGEMENT("DeclarativeManagement"),
    RETURN_TO_SERVICE("ReturnToService");

    private static final MessageType[] VALUES = values();

    private final String wireName;

    MessageType(String wireName) {
        this.wireName = wireName;
    }

    /** The exact {@code MessageType} string the device sends. */
    public String wireName() {
        return wireName;
    }

    /** The type with this exact (case-sensitive) wire name, or null. */
    public static MessageType fromWireName(String wireName) {
        for (MessageType t : VALUES) {
            if (t.wireName.equals(wireName)) {
                return t;
            }
        }
        return null;
    }
}
