package dev.mdmgw.gateway.service.handler;

import com.dd.plist.NSData;
import com.dd.plist.NSDictionary;
import dev.mdmgw.gateway.mdm.GetToken;
import dev.mdmgw.gateway.service.CheckinContext;
import dev.mdmgw.gateway.service.CheckinRejectedException;
import dev.mdmgw.gateway.service.CheckinReply;
import dev.mdmgw.gateway.service.MessageHandler;
import dev.mdmgw.gateway.service.token.MaidTokens;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Mono;

/**
 * GetToken: 200 with {@code {TokenData: <data>}}. The decoder already refused unknown service
 * types and watch-pairing requests without their parameters (400).
 */
public final class GetTokenHandler implements MessageHandler<GetToken> {
    private final MaidTokens maid;
    private final String maidMissing;

    /**
     * @param maid        null when not configured
     * @param maidMissing what is missing for maid tokens, for the 400 (when {@code maid} is null)
     */
    public GetTokenHandler(MaidTokens maid, String maidMissing) {
        this.maid = maid;
        this.maidMissing = maidMissing;
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
        throw new CheckinRejectedException(400, m.tokenServiceType() + " tokens are not supported yet");
    }

    private static CheckinReply tokenData(String token) {
        NSDictionary reply = new NSDictionary();
        reply.put("TokenData", new NSData(token.getBytes(StandardCharsets.UTF_8)));
        return CheckinReply.ok(reply.toXMLPropertyList().getBytes(StandardCharsets.UTF_8),
                GetBootstrapTokenHandler.CONTENT_TYPE);
    }
}
