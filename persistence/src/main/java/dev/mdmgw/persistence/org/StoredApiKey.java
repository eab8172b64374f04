package dev.mdmgw.persistence.org;

/** A key that is not revoked, with the SHA-256 of its secret, for checking a presented key. */
public record StoredApiKey(ApiKey key, byte[] secretSha256) {
}
