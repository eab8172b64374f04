package dev.mdmgw.persistence.org;

/**
 * A page of one organization's enrollment tokens. {@code page} starts at 1; {@code mdmUserId} and
 * {@code admPolicyId} may be null (no filter); DELETED tokens only with {@code showDeleted}.
 */
public record TokenQuery(String organizationId, int page, int limit, TokenSort sort, boolean descending,
        String mdmUserId, String admPolicyId, boolean showDeleted) {
}
