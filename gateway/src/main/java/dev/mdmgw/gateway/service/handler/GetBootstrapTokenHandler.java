package dev.mdmgw.gateway.service.handler;

import com.dd.plist.NSData;
import com.dd.plist.NSDictionary;
import dev.mdmgw.gateway.mdm.GetBootstrapToken;
import dev.mdmgw.gateway.service.CheckinContext;
import dev.mdmgw.gateway.service.CheckinReply;
import dev.mdmgw.gateway.service.MessageHandler;
import dev.mdmgw.gateway.service.escrow.TokenSealer;
import dev.mdmgw.persistence.CheckinStore;
import reactor.core.publisher.Mono;

/**
 * GetBootstrapToken: 200 with {@code {BootstrapToken: <data>}}, or with the key omitted when
 * nothing is escrowed. A token that cannot be opened (its key removed from MDMGW_BOOTSTRAP_KEYS,
 * or tampered with) is our fault: it fails the request (503), it is never answered as "no token".
 */
public final class GetBootstrapTokenHandler implements MessageHandler<GetBootstrapToken> {
    private static final CheckinReply NO_TOKEN = plist(new NSDictionary());

    private final CheckinStore store;
    private final TokenSealer sealer;

    public GetBootstrapTokenHandler(CheckinStore store, TokenSealer sealer) {
        this.store = store;
        this.sealer = sealer;
    }

    @Override
    public Mono<CheckinReply> handle(GetBootstrapToken m, CheckinContext ctx) {
        String deviceId = DeviceOf.deviceId(m, ctx);
        return store.findBootstrapToken(deviceId)
                .map(stored -> {
                    if (sealer == null) {
                        throw new IllegalStateException("a bootstrap token of " + deviceId
                                + " is in escrow but MDMGW_BOOTSTRAP_KEYS is not set");
                    }
                    NSDictionary reply = new NSDictionary();
                    reply.put("BootstrapToken", new NSData(sealer.open(deviceId, stored.keyId(), stored.sealedToken())));
                    return plist(reply);
                })
                .defaultIfEmpty(NO_TOKEN);
    }

    private static CheckinReply plist(NSDictionary dict) {
        return CheckinReply.plist(dict);
    }
}
