package dev.mdmgw.persistence.read;

/** One device's escrow, for re-sealing under a new key. */
public record StoredBootstrapToken(String deviceId, SealedBootstrapToken token) {
}
