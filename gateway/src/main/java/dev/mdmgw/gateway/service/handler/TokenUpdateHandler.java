package dev.mdmgw.gateway.service.handler;

import dev.mdmgw.gateway.mdm.EnrollmentRef;
import dev.mdmgw.gateway.mdm.TokenUpdate;
import dev.mdmgw.gateway.service.CheckinContext;
import dev.mdmgw.gateway.service.CheckinReply;
import dev.mdmgw.gateway.service.MessageHandler;
import dev.mdmgw.persistence.CheckinStore;
import dev.mdmgw.persistence.write.TokenUpdateWrite;
import reactor.core.publisher.Mono;

/** TokenUpdate: the enrollment becomes pushable with the latest push data; 200 once committed. */
public final class TokenUpdateHandler implements MessageHandler<TokenUpdate> {
    private final CheckinStore store;

    public TokenUpdateHandler(CheckinStore store) {
        this.store = store;
    }

    @Override
    public Mono<CheckinReply> handle(TokenUpdate m, CheckinContext ctx) {
        EnrollmentRef e = m.enrollment();
        TokenUpdateWrite write = new TokenUpdateWrite(ctx.version(), e.id(), e.deviceId(), e.userId(), e.type(),
                ctx.organizationId(), m.topic(), m.pushMagic(), m.token(), m.unlockToken(), m.userShortName(),
                m.userLongName(), m.awaitingConfiguration());
        return store.tokenUpdate(write).thenReturn(CheckinReply.empty());
    }
}
