package dev.mdmgw.gateway.identity;

import dev.mdmgw.gateway.mdm.CheckinMessage;
import reactor.core.publisher.Mono;

/** Accepts every request unverified, until the identity checks (Mdm-Signature, mTLS, cert header) land. */
public final class AcceptAnyDevice implements DeviceIdentityVerifier {

    private static final Mono<DeviceIdentity> UNVERIFIED = Mono.just(DeviceIdentity.unverified());

    @Override
    public Mono<DeviceIdentity> verify(RawCheckin raw, CheckinMessage message) {
        return UNVERIFIED;
    }
}
