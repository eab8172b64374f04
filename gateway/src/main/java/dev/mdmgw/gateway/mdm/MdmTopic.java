package dev.mdmgw.gateway.mdm;

/** Every MDM push topic is {@code com.apple.mgmt.<suffix>} (Apple, Token Update). */
public final class MdmTopic {
    public static final String PREFIX = "com.apple.mgmt.";

    private MdmTopic() {
    }

    public static boolean isValid(String topic) {
        return topic.startsWith(PREFIX) && topic.length() > PREFIX.length();
    }
}
