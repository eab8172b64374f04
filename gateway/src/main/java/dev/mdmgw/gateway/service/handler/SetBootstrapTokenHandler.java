package dev.mdmgw.gateway.service.handler;

import dev.mdmgw.gateway.mdm.SetBootstrapToken;
import dev.mdmgw.gateway.service.CheckinContext;
import dev.mdmgw.gateway.service.CheckinRejectedException;
import dev.mdmgw.gateway.service.CheckinReply;
import dev.mdmgw.gateway.service.MessageHandler;
import dev.mdmgw.gateway.service.escrow.TokenSealer;
import dev.mdmgw.persistence.CheckinStore;
import dev.mdmgw.persistence.write.BootstrapTokenWrite;
import reactor.core.publisher.Mono;

/**
 * SetBootstrapToken: escrow the Mac's bootstrap token, sealed (it unlocks accounts on the Mac);
 * a missing or empty token removes the escrow. 200 once committed.
 */
public final class SetBootstrapTokenHandler implements MessageHandler<SetBootstrapToken> {
    private final CheckinStore store;
    private final TokenSealer sealer;

    /** {@code sealer} null: no MDMGW_BOOTSTRAP_KEYS, escrow refused. */
    public SetBootstrapTokenHandler(CheckinStore store, TokenSealer sealer) {
        this.store = store;
        this.sealer = sealer;
    }

    @Override
    public Mono<CheckinReply> handle(SetBootstrapToken m, CheckinContext ctx) {
        String deviceId = DeviceOf.deviceId(m, ctx);
        BootstrapTokenWrite write;
        if (m.isDelete()) {
            write = new BootstrapTokenWrite(ctx.version(), deviceId, ctx.organizationId(), null, null);
        } else {
            if (sealer == null) {
                throw new CheckinRejectedException(400, "bootstrap token escrow is not configured on this server "
                        + "(MDMGW_BOOTSTRAP_KEYS)");
            }
            TokenSealer.Sealed sealed = sealer.seal(deviceId, m.bootstrapToken());
            write = new BootstrapTokenWrite(ctx.version(), deviceId, ctx.organizationId(), sealed.bytes(), sealed.keyId());
        }
        return store.setBootstrapToken(write).thenReturn(CheckinReply.empty());
    }
}
