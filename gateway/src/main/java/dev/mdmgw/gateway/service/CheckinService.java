package dev.mdmgw.gateway.service;

import dev.mdmgw.gateway.mdm.Authenticate;
import dev.mdmgw.gateway.mdm.CheckOut;
import dev.mdmgw.gateway.mdm.CheckinMessage;
import dev.mdmgw.gateway.mdm.TokenUpdate;
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
import dev.mdmgw.gateway.service.org.OrganizationDirectory;
import dev.mdmgw.persistence.CheckinStore;
import dev.mdmgw.persistence.org.OrganizationStore;
import java.util.EnumMap;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Routes a decoded check-in to its organization (by topic, else by the enrollment token of its
 * check-in URL, else the default one) and to its message type's handler. Every MessageType has one; the 400
 * below only guards a type added to the decoder without a handler.
 */
public final class CheckinService {
    private final Map<MessageType, MessageHandler<? extends CheckinMessage>> handlers = new EnumMap<>(MessageType.class);
    private final OrganizationDirectory directory;

    /** {@code sealer} null: bootstrap-token escrow is not configured. */
    public CheckinService(CheckinStore store, OrganizationStore organizations, OrganizationDirectory directory,
            TokenSealer sealer, GetTokenHandler getToken, DeclarativeManagementHandler declarative) {
        this.directory = directory;
        handlers.put(MessageType.AUTHENTICATE, new AuthenticateHandler(store, organizations, directory));
        handlers.put(MessageType.TOKEN_UPDATE, new TokenUpdateHandler(store));
        handlers.put(MessageType.CHECK_OUT, new CheckOutHandler(store));
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
        return Mono.defer(() -> {
            String topic = topicOf(message);
            if (topic != null) {
                // The hot path: answered from memory.
                return handler.handle(message, context.withOrganization(directory.organizationOfTopic(topic)));
            }
            if (context.enrollmentToken() == null) {
                return handler.handle(message, context);
            }
            return directory.organizationOfToken(context.enrollmentToken())
                    .map(context::withOrganization)
                    .defaultIfEmpty(context)
                    .flatMap(routed -> handler.handle(message, routed));
        });
    }

    /** The organization of a check-in is its topic's; messages without one go by their enrollment token. */
    private static String topicOf(CheckinMessage message) {
        if (message instanceof TokenUpdate m) {
            return m.topic();
        }
        if (message instanceof Authenticate m) {
            return m.topic();
        }
        if (message instanceof CheckOut m) {
            return m.topic();
        }
        return null;
    }
}
