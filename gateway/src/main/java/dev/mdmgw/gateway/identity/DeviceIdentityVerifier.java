package dev.mdmgw.gateway.identity;

import dev.mdmgw.gateway.mdm.CheckinMessage;
import reactor.core.publisher.Mono;

/**
 * The one seam where device identity plugs in: prove who sent {@code raw} and that it may speak
 * for {@code message}'s enrollment. Errors with {@link IdentityRejectedException} (answered 403,
 * never 401: a 401 unenrolls the device).
 */
public interface DeviceIdentityVerifier {

    Mono<DeviceIdentity> verify(RawCheckin raw, CheckinMessage message);
}
