package dev.mdmgw.gateway.http;

import java.util.Set;

/** Who an admin request speaks for: the super-admin key (every organization), or one organization's key. */
record AdminPrincipal(String organizationId, Set<String> permissions) {
    static final AdminPrincipal SUPER_ADMIN = new AdminPrincipal(null, Set.of());

    boolean isSuperAdmin() {
        return organizationId == null;
    }

    boolean may(String permission) {
        return isSuperAdmin() || (permission != null && permissions.contains(permission));
    }
}
