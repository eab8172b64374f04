package dev.mdmgw.gateway.service.handler;

import dev.mdmgw.gateway.mdm.CheckOut;
import dev.mdmgw.gateway.mdm.EnrollmentRef;
import dev.mdmgw.gateway.service.CheckinContext;
import dev.mdmgw.gateway.service.CheckinReply;
import dev.mdmgw.gateway.service.MessageHandler;
import dev.mdmgw.persistence.CheckinStore;
import dev.mdmgw.persistence.write.CheckOutWrite;
import reactor.core.publisher.Mono;

/** CheckOut: the MDM profile was removed; stop pushing to the enrollment (all of them, on the device channel). */
public final class CheckOutHandler implements MessageHandler<CheckOut> {
    private final CheckinStore store;

    public CheckOutHandler(CheckinStore store) {
        this.store = store;
    }

    @Override
    public Mono<CheckinReply> handle(CheckOut m, CheckinContext ctx) {
        EnrollmentRef e = m.enrollment();
        // The enrollment's facts let the store keep a disabled placeholder when it has no row yet.
        CheckOutWrite write = new CheckOutWrite(ctx.version(), e.id(), e.deviceId(), e.userId(), e.type(),
                ctx.organizationId(), m.topic());
        return store.checkOut(write).thenReturn(CheckinReply.empty());
    }
}
