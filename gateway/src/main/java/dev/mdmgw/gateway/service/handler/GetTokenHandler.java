package dev.mdmgw.gateway.service.handler;

import com.dd.plist.NSData;
import com.dd.plist.NSDictionary;
import dev.mdmgw.gateway.mdm.GetToken;
import dev.mdmgw.gateway.service.CheckinContext;
import dev.mdmgw.gateway.service.CheckinRejectedException;
import dev.mdmgw.gateway.service.CheckinReply;
import dev.mdmgw.gateway.service.MessageHandler;
import dev.mdmgw.gateway.service.token.MaidTokens;
import dev.mdmgw.gateway.service.token.WatchPairingTokens;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Mono;

/**
 * GetToken: 200 with {@code {TokenData: <data>}}. The decoder already refused unknown service
 * types and watch-pairing requests without their parameters (400).
 */
public final class GetTokenHandler implements MessageHandler<GetToken> {
    private final MaidTokens maid;
    private final String maidMissing;
    private final WatchPairingTokens watch;

    /**
     * @param maid        null when not configured
     * @param maidMissing what is missing for maid tokens, for the 400 (when {@code maid} is null)
     * @param watch       null when MDMGW_WATCH_PAIRING_KEY is not set
     */
    public GetTokenHandler(MaidTokens maid, String maidMissing, WatchPairingTokens watch) {
        this.maid = maid;
        this.maidMissing = maidMissing;
        this.watch = watch;
    }

    @Override
    public Mono<CheckinReply> handle(GetToken m, CheckinContext ctx) {
        if (GetToken.MAID.equals(m.tokenServiceType())) {
            if (maid == null) {
                throw new CheckinRejectedException(400, GetToken.MAID + " tokens are not configured on this server: "
                        + maidMissing);
            }
            return Mono.just(tokenData(maid.issue()));
        }
        if (watch == null) {
            throw new CheckinRejectedException(400, GetToken.WATCH_PAIRING + " tokens are not configured on this server: "
                    + "MDMGW_WATCH_PAIRING_KEY is not set");
        }
        // The phone asks for itself: a device cannot obtain a pairing token in another phone's name.
        if (!m.phoneUdid().equals(m.enrollment().deviceId())) {
            throw new CheckinRejectedException(400, "PhoneUDID must be the UDID of the device asking");
        }
        return Mono.just(tokenData(watch.issue(ctx.organizationId(), m.phoneUdid(), m.watchUdid(), m.securityToken())));
    }

    private static CheckinReply tokenData(String token) {
        NSDictionary reply = new NSDictionary();
        reply.put("TokenData", new NSData(token.getBytes(StandardCharsets.UTF_8)));
        return CheckinReply.plist(reply);
    }
}
