package dev.mdmgw.gateway.service.handler;

import dev.mdmgw.gateway.mdm.DeclarativeManagement;
import dev.mdmgw.gateway.service.CheckinContext;
import dev.mdmgw.gateway.service.CheckinRejectedException;
import dev.mdmgw.gateway.service.CheckinReply;
import dev.mdmgw.gateway.service.MessageHandler;
import dev.mdmgw.gateway.service.ddm.DeclarativeForwarder;
import reactor.core.publisher.Mono;

/** DeclarativeManagement: served by the declarative-management backend, when there is one. */
public final class DeclarativeManagementHandler implements MessageHandler<DeclarativeManagement> {
    private final DeclarativeForwarder forwarder;

    /** {@code forwarder} null: no MDMGW_DDM_URL. */
    public DeclarativeManagementHandler(DeclarativeForwarder forwarder) {
        this.forwarder = forwarder;
    }

    @Override
    public Mono<CheckinReply> handle(DeclarativeManagement m, CheckinContext ctx) {
        if (forwarder == null) {
            throw new CheckinRejectedException(400, "declarative management not configured (MDMGW_DDM_URL)");
        }
        return forwarder.forward(m);
    }
}
