package dev.mdmgw.gateway.service.org;

import java.util.List;

/**
 * What an organization's API key may be allowed, named as Applivery names them. Organizations,
 * API keys and bootstrap-key rotation are for the super-admin key only.
 */
public final class Permissions {
    public static final String TOKEN_GET = "mdm.apple.enrollmentToken.get";
    public static final String TOKEN_LIST = "mdm.apple.enrollmentToken.list";
    public static final String TOKEN_CREATE = "mdm.apple.enrollmentToken.create";
    public static final String TOKEN_DELETE = "mdm.apple.enrollmentToken.delete";
    public static final String ENROLLMENT_GET = "mdm.apple.enrollment.get";
    public static final String ENROLLMENT_LIST = "mdm.apple.enrollment.list";
    public static final String ENROLLMENT_PUSH_INFO = "mdm.apple.enrollment.pushInfo";
    public static final String SETTINGS_GET = "mdm.apple.settings.get";
    public static final String SETTINGS_UPDATE = "mdm.apple.settings.update";
    public static final String WATCH_PAIRING_VERIFY = "mdm.apple.watchPairing.verify";

    public static final List<String> ALL = List.of(TOKEN_GET, TOKEN_LIST, TOKEN_CREATE, TOKEN_DELETE, ENROLLMENT_GET,
            ENROLLMENT_LIST, ENROLLMENT_PUSH_INFO, SETTINGS_GET, SETTINGS_UPDATE, WATCH_PAIRING_VERIFY);

    private Permissions() {
    }
}
