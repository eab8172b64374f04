package dev.mdmgw.persistence.identity;

import java.util.List;

/**
 * Certificates some gateway replaced (their devices re-authenticated with new ones). With
 * {@code resync} the listener has just (re)connected and may have missed replacements: a cache
 * of bindings should forget everything it holds.
 */
public record ReplacedCertificates(boolean resync, List<byte[]> fingerprints) {

    public static final ReplacedCertificates RESYNC = new ReplacedCertificates(true, List.of());

    public ReplacedCertificates {
        fingerprints = List.copyOf(fingerprints);
    }
}
