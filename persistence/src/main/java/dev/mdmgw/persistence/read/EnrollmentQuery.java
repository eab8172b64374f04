package dev.mdmgw.persistence.read;

import dev.mdmgw.persistence.EnrollmentType;

/** A page of enrollments of one organization. {@code page} starts at 1; filters may be null. */
public record EnrollmentQuery(String organizationId, int page, int limit, Boolean enabled, EnrollmentType type) {
}
