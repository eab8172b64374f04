package dev.mdmgw.gateway.identity;

import dev.mdmgw.gateway.mdm.CheckinMessage;
import reactor.core.publisher.Mono;

/** {@code MDMGW_DEVICE_AUTH=none}: every request is accepted unverified. Development only. */
public final class AcceptAnyDevice implements DeviceIdentityVerifier {

    private static final Mono<DeviceIdentity> UNVERIFIED = Mono.just(DeviceIdentity.unverified());

    @Override
    public Mono<DeviceIdentity> verify(RawCheckin raw, CheckinMessage message) {
        return UNVERIFIED;
    }
}
