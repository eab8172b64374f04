package dev.mdmgw.gateway.service.handler;

import dev.mdmgw.gateway.mdm.Authenticate;
import dev.mdmgw.gateway.mdm.EnrollmentRef;
import dev.mdmgw.gateway.service.CheckinContext;
import dev.mdmgw.gateway.service.CheckinReply;
import dev.mdmgw.gateway.service.MessageHandler;
import dev.mdmgw.gateway.service.TopicPolicy;
import dev.mdmgw.persistence.CheckinStore;
import dev.mdmgw.persistence.write.AuthenticateWrite;
import reactor.core.publisher.Mono;

/**
 * Authenticate: (re-)enrollment starts. The store records the device facts and resets the
 * device's enrollments, so a restored or re-enrolled device starts clean.
 */
public final class AuthenticateHandler implements MessageHandler<Authenticate> {
    private final CheckinStore store;
    private final TopicPolicy topics;

    public AuthenticateHandler(CheckinStore store, TopicPolicy topics) {
        this.store = store;
        this.topics = topics;
    }

    @Override
    public Mono<CheckinReply> handle(Authenticate m, CheckinContext ctx) {
        topics.check(m.topic());
        EnrollmentRef e = m.enrollment();
        AuthenticateWrite write = new AuthenticateWrite(ctx.version(), e.deviceId(), e.type(), ctx.organizationId(),
                m.topic(), m.serialNumber(), m.model(), m.modelName(), m.productName(), m.deviceName(),
                m.osVersion(), m.buildVersion(), m.imei(), m.meid(), ctx.identity().certificateDer());
        return store.authenticate(write).thenReturn(CheckinReply.empty());
    }
}
