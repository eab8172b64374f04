package dev.mdmgw.persistence.org;

import java.time.Instant;

/**
 * An enrollment token as stored. {@code state} is PENDING, DONE, DELETED or EXPIRED (a PENDING
 * token past {@code expireAt}); {@code documentJson} holds the fields kept as the admin gave them.
 */
public record EnrollmentToken(String id, String organizationId, String enrollCode, String state, String admDevice,
        String documentJson, Instant expireAt, Instant createdAt, Instant updatedAt) {
}
