package dev.mdmgw.gateway.identity;

import java.util.Locale;

/** Why a device's identity was refused: the {@code reason} label of {@code mdmgw_identity_failures_total}. */
public enum IdentityFailure {
    /** No signature or certificate came with the request. */
    MISSING,
    /** The Mdm-Signature is unreadable or does not match the body. */
    BAD_SIGNATURE,
    /** The certificate does not chain to MDMGW_DEVICE_CA_FILE, is unreadable, or is not for client auth. */
    UNTRUSTED,
    /** The certificate is outside its validity period. */
    EXPIRED,
    /** The certificate is not (or no longer) bound to the device the message speaks for. */
    NOT_BOUND,
    /** The certificate belongs to another device. */
    BOUND_ELSEWHERE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
