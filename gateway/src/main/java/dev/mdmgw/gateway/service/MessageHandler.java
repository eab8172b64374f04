package dev.mdmgw.gateway.service;

import dev.mdmgw.gateway.mdm.CheckinMessage;
import reactor.core.publisher.Mono;

/** Handles one kind of check-in message. A 200 is sent only when the returned Mono succeeds. */
@FunctionalInterface
public interface MessageHandler<M extends CheckinMessage> {

    Mono<CheckinReply> handle(M message, CheckinContext context);
}
