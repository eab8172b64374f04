package dev.mdmgw.gateway.service.handler;

import com.dd.plist.NSDictionary;
import com.dd.plist.NSString;
import dev.mdmgw.gateway.mdm.UserAuthenticate;
import dev.mdmgw.gateway.service.CheckinContext;
import dev.mdmgw.gateway.service.CheckinRejectedException;
import dev.mdmgw.gateway.service.CheckinReply;
import dev.mdmgw.gateway.service.MessageHandler;
import dev.mdmgw.gateway.service.OrganizationSettings;
import dev.mdmgw.persistence.CheckinStore;
import java.util.UUID;
import reactor.core.publisher.Mono;

/**
 * UserAuthenticate (macOS user channel), by the organization's policy. {@code decline} (the
 * default): 410, which tells the Mac this server manages no user channel for that user (nothing
 * unenrolls). {@code allow}: the first message gets an empty {@code DigestChallenge} (no password
 * asked), the second an {@code AuthToken}, and the user is recorded.
 */
public final class UserAuthenticateHandler implements MessageHandler<UserAuthenticate> {
    private static final CheckinReply EMPTY_CHALLENGE = challenge();

    private final CheckinStore store;

    public UserAuthenticateHandler(CheckinStore store) {
        this.store = store;
    }

    @Override
    public Mono<CheckinReply> handle(UserAuthenticate m, CheckinContext ctx) {
        return store.organizationSettings(ctx.organizationId())
                .map(OrganizationSettings::parse)
                .defaultIfEmpty(OrganizationSettings.DEFAULTS)
                .flatMap(settings -> {
                    if (!settings.allowsUsers()) {
                        return Mono.error(new CheckinRejectedException(410,
                                "this server declines user channels for " + m.enrollment().id()));
                    }
                    if (m.digestResponse() == null) {
                        return Mono.just(EMPTY_CHALLENGE);
                    }
                    return store.recordUserAuthentication(m.enrollment().id(), m.enrollment().deviceId(),
                                    m.enrollment().userId(), ctx.organizationId())
                            .thenReturn(authToken());
                });
    }

    private static CheckinReply challenge() {
        NSDictionary reply = new NSDictionary();
        reply.put("DigestChallenge", new NSString(""));
        return CheckinReply.plist(reply);
    }

    private static CheckinReply authToken() {
        NSDictionary reply = new NSDictionary();
        reply.put("AuthToken", new NSString(UUID.randomUUID().toString()));
        return CheckinReply.plist(reply);
    }
}
