package dev.mdmgw.gateway.service.handler;

import dev.mdmgw.gateway.mdm.UserAuthenticate;
import dev.mdmgw.gateway.service.CheckinContext;
import dev.mdmgw.gateway.service.CheckinRejectedException;
import dev.mdmgw.gateway.service.CheckinReply;
import dev.mdmgw.gateway.service.MessageHandler;
import reactor.core.publisher.Mono;

/**
 * UserAuthenticate (macOS user channel): the server's default, "decline", is a 410, which tells
 * the Mac this server manages no user channel for that user (nothing unenrolls). Allowing users
 * per organization needs per-organization settings (not there yet).
 */
public final class UserAuthenticateHandler implements MessageHandler<UserAuthenticate> {

    @Override
    public Mono<CheckinReply> handle(UserAuthenticate m, CheckinContext ctx) {
        throw new CheckinRejectedException(410, "this server declines user channels for " + m.enrollment().id());
    }
}
