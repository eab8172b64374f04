package dev.mdmgw.persistence.org;

/**
 * A token to create. The store sets state PENDING and {@code expireAt} = now + {@code durationSeconds}
 * by the database's clock. {@code mdmUserId}, {@code admPolicyId} and {@code displayName} may be null.
 */
public record NewEnrollmentToken(String id, String enrollCode, String mdmUserId, String admPolicyId,
        String displayName, String documentJson, int durationSeconds) {
}
