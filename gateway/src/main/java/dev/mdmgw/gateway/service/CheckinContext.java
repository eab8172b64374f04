package dev.mdmgw.gateway.service;

import dev.mdmgw.gateway.identity.DeviceIdentity;

/**
 * Facts about one check-in that are not in its body: the write version taken when the request
 * arrived, the proven identity, the organization it belongs to (the route passes the default one;
 * the service routes it by topic or enrollment token), and the enrollment token the check-in URL
 * carries ({@code ?token=<id>}, null when none).
 */
public record CheckinContext(long version, DeviceIdentity identity, String organizationId, String enrollmentToken) {

    public CheckinContext withOrganization(String organization) {
        return organization.equals(organizationId) ? this
                : new CheckinContext(version, identity, organization, enrollmentToken);
    }
}
