package dev.mdmgw.gateway.service;

import dev.mdmgw.gateway.identity.DeviceIdentity;

/**
 * Facts about one check-in that are not in its body: the write version taken when the request
 * arrived, the proven identity, and the organization it belongs to.
 */
public record CheckinContext(long version, DeviceIdentity identity, String organizationId) {
}
