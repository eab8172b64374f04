package dev.mdmgw.gateway.service.handler;

import dev.mdmgw.gateway.mdm.Authenticate;
import dev.mdmgw.gateway.mdm.EnrollmentRef;
import dev.mdmgw.gateway.service.CheckinContext;
import dev.mdmgw.gateway.service.CheckinRejectedException;
import dev.mdmgw.gateway.service.CheckinReply;
import dev.mdmgw.gateway.service.MessageHandler;
import dev.mdmgw.gateway.service.org.OrganizationDirectory;
import dev.mdmgw.persistence.CheckinStore;
import dev.mdmgw.persistence.org.OrganizationStore;
import dev.mdmgw.persistence.write.AuthenticateWrite;
import reactor.core.publisher.Mono;

/**
 * Authenticate: (re-)enrollment starts. The store records the device facts and resets the
 * device's enrollments, so a restored or re-enrolled device starts clean.
 *
 * <p>With an enrollment token in the check-in URL the device enrolls only if the token lets it:
 * a PENDING, unexpired token of the topic's organization (it becomes DONE, bound to this device),
 * or one this same device used before. Anything else is refused with 403, never 401. Without a
 * token, the organization's {@code enrollment.requireToken} setting decides.
 */
public final class AuthenticateHandler implements MessageHandler<Authenticate> {
    private final CheckinStore store;
    private final OrganizationStore organizations;
    private final OrganizationDirectory directory;

    public AuthenticateHandler(CheckinStore store, OrganizationStore organizations, OrganizationDirectory directory) {
        this.store = store;
        this.organizations = organizations;
        this.directory = directory;
    }

    @Override
    public Mono<CheckinReply> handle(Authenticate m, CheckinContext ctx) {
        EnrollmentRef e = m.enrollment();
        AuthenticateWrite write = new AuthenticateWrite(ctx.version(), e.deviceId(), e.type(), ctx.organizationId(),
                m.topic(), m.serialNumber(), m.model(), m.modelName(), m.productName(), m.deviceName(),
                m.osVersion(), m.buildVersion(), m.imei(), m.meid(), ctx.identity().certificateDer());
        String token = ctx.enrollmentToken();
        if (token == null) {
            if (directory.requiresToken(ctx.organizationId())) {
                throw new CheckinRejectedException(403, "this organization enrolls devices only with an enrollment token");
            }
            return store.authenticate(write).thenReturn(CheckinReply.empty());
        }
        if (!OrganizationDirectory.TOKEN_ID.matcher(token).matches()) {
            throw refused();
        }
        return organizations.authenticateWithToken(token, write)
                .flatMap(enrolled -> enrolled ? Mono.just(CheckinReply.empty()) : Mono.error(refused()));
    }

    private static CheckinRejectedException refused() {
        return new CheckinRejectedException(403,
                "enrollment token unknown, expired, deleted, used by another device, or not of this topic's organization");
    }
}
