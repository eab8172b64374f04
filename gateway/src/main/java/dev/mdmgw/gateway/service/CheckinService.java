package dev.mdmgw.gateway.service;

import dev.mdmgw.gateway.mdm.CheckinMessage;
import dev.mdmgw.gateway.mdm.MessageType;
import dev.mdmgw.gateway.service.handler.AuthenticateHandler;
import dev.mdmgw.gateway.service.escrow.TokenSealer;
import dev.mdmgw.gateway.service.handler.CheckOutHandler;
import dev.mdmgw.gateway.service.handler.DeclarativeManagementHandler;
import dev.mdmgw.gateway.service.handler.GetBootstrapTokenHandler;
import dev.mdmgw.gateway.service.handler.GetTokenHandler;
import dev.mdmgw.gateway.service.handler.ReturnToServiceHandler;
import dev.mdmgw.gateway.service.handler.UserAuthenticateHandler;
import dev.mdmgw.gateway.service.handler.SetBootstrapTokenHandler;
import dev.mdmgw.gateway.service.handler.TokenUpdateHandler;
import dev.mdmgw.persistence.CheckinStore;
import java.util.EnumMap;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Routes a decoded check-in to its message type's handler. Every MessageType has one; the 400
 * below only guards a type added to the decoder without a handler.
 */
public final class CheckinService {
    private final Map<MessageType, MessageHandler<? extends CheckinMessage>> handlers = new EnumMap<>(MessageType.class);

    /** {@code sealer} null: bootstrap-token escrow is not configured. */
    public CheckinService(CheckinStore store, TopicPolicy topics, TokenSealer sealer, GetTokenHandler getToken,
            DeclarativeManagementHandler declarative) {
        handlers.put(MessageType.AUTHENTICATE, new AuthenticateHandler(store, topics));
        handlers.put(MessageType.TOKEN_UPDATE, new TokenUpdateHandler(store, topics));
        handlers.put(MessageType.CHECK_OUT, new CheckOutHandler(store, topics));
        handlers.put(MessageType.SET_BOOTSTRAP_TOKEN, new SetBootstrapTokenHandler(store, sealer));
        handlers.put(MessageType.GET_BOOTSTRAP_TOKEN, new GetBootstrapTokenHandler(store, sealer));
        handlers.put(MessageType.GET_TOKEN, getToken);
        handlers.put(MessageType.DECLARATIVE_MANAGEMENT, declarative);
        handlers.put(MessageType.USER_AUTHENTICATE, new UserAuthenticateHandler(store));
        handlers.put(MessageType.RETURN_TO_SERVICE, new ReturnToServiceHandler(store, sealer));
    }

    public Mono<CheckinReply> handle(CheckinMessage message, CheckinContext context) {
        @SuppressWarnings("unchecked")
        MessageHandler<CheckinMessage> handler = (MessageHandler<CheckinMessage>) handlers.get(message.messageType());
        if (handler == null) {
            return Mono.error(new CheckinRejectedException(400,
                    message.messageType().wireName() + " is not supported yet"));
        }
        return Mono.defer(() -> handler.handle(message, context));
    }
}
