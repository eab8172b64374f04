package dev.mdmgw.persistence.identity;

import java.util.List;

/**
 * What a bind did. {@code replaced} holds the fingerprints it retired (the device's previous
 * certificate), so a cache of bindings can drop them at once.
 */
public record BindOutcome(Result result, List<byte[]> replaced) {

    public enum Result {
        /** The certificate is now (or already was) the device's current one. */
        BOUND,
        /** The certificate belongs to another device. */
        BOUND_ELSEWHERE,
        /** The certificate was this device's, and has been replaced by a newer one. */
        REPLACED,
        /** Retro binding only: the device already has a current certificate, and this is not it. */
        NOT_BOUND
    }

    public BindOutcome {
        replaced = List.copyOf(replaced);
    }

    public boolean bound() {
        return result == Result.BOUND;
    }
}
