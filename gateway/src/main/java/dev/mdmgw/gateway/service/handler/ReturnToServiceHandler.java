package dev.mdmgw.gateway.service.handler;

import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import dev.mdmgw.gateway.mdm.ReturnToService;
import dev.mdmgw.gateway.service.CheckinContext;
import dev.mdmgw.gateway.service.CheckinReply;
import dev.mdmgw.gateway.service.MessageHandler;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Mono;

/**
 * ReturnToService (iOS/visionOS 26, ADE): 200 with {@code {ReturnToService: {...}}}. With nothing
 * configured, which is all there is until organizations carry settings, that is
 * {@code {ReturnToService: {Enabled: false}}}: the device erases without returning to service.
 */
public final class ReturnToServiceHandler implements MessageHandler<ReturnToService> {
    private static final CheckinReply DISABLED = disabled();

    @Override
    public Mono<CheckinReply> handle(ReturnToService m, CheckinContext ctx) {
        return Mono.just(DISABLED);
    }

    private static CheckinReply disabled() {
        NSDictionary settings = new NSDictionary();
        settings.put("Enabled", new NSNumber(false));
        NSDictionary reply = new NSDictionary();
        reply.put("ReturnToService", settings);
        return CheckinReply.ok(reply.toXMLPropertyList().getBytes(StandardCharsets.UTF_8),
                GetBootstrapTokenHandler.CONTENT_TYPE);
    }
}
