package dev.mdmgw.loadtest;

import java.util.Locale;

/** Every check-in MessageType a device sends; {@link #option()} is its name in {@code --mix}. */
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

    private final String plistName;

    MessageType(String plistName) {
        this.plistName = plistName;
    }

    /** The value of the plist's {@code MessageType} key. */
    public String plistName() {
        return plistName;
    }

    /** The lower-case name used on the command line and in reports. */
    public String option() {
        return plistName.toLowerCase(Locale.ROOT);
    }

    public static MessageType ofOption(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (MessageType t : values()) {
            if (t.option().equals(n)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown message type '" + name + "' (one of: "
                + String.join(", ", java.util.Arrays.stream(values()).map(MessageType::option).toList()) + ")");
    }
}
