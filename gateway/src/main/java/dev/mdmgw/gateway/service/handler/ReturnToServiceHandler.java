package dev.mdmgw.gateway.service.handler;

import com.dd.plist.NSData;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import dev.mdmgw.gateway.mdm.ReturnToService;
import dev.mdmgw.gateway.service.CheckinContext;
import dev.mdmgw.gateway.service.CheckinReply;
import dev.mdmgw.gateway.service.MessageHandler;
import dev.mdmgw.gateway.service.OrganizationSettings;
import dev.mdmgw.gateway.service.escrow.TokenSealer;
import dev.mdmgw.persistence.CheckinStore;
import reactor.core.publisher.Mono;

/**
 * ReturnToService (iOS/visionOS 26, ADE): 200 with {@code {ReturnToService: {Enabled,
 * WiFiProfileData?, MDMProfileData?, BootstrapToken?}}} from the organization's settings; the
 * escrowed bootstrap token only when the settings ask for it (return to service with app
 * preservation). Nothing configured: {@code {ReturnToService: {Enabled: false}}}.
 */
public final class ReturnToServiceHandler implements MessageHandler<ReturnToService> {
    private final CheckinStore store;
    private final TokenSealer sealer;

    public ReturnToServiceHandler(CheckinStore store, TokenSealer sealer) {
        this.store = store;
        this.sealer = sealer;
    }

    @Override
    public Mono<CheckinReply> handle(ReturnToService m, CheckinContext ctx) {
        String deviceId = DeviceOf.deviceId(m, ctx);
        return store.organizationSettings(ctx.organizationId())
                .map(OrganizationSettings::parse)
                .defaultIfEmpty(OrganizationSettings.DEFAULTS)
                .flatMap(settings -> {
                    OrganizationSettings.ReturnToServiceSettings rts = settings.returnToService();
                    NSDictionary answer = new NSDictionary();
                    answer.put("Enabled", new NSNumber(rts != null && rts.enabled()));
                    if (rts == null || !rts.enabled()) {
                        return Mono.just(reply(answer));
                    }
                    put(answer, "WiFiProfileData", OrganizationSettings.base64("wifiProfileData", rts.wifiProfileData()));
                    put(answer, "MDMProfileData", OrganizationSettings.base64("mdmProfileData", rts.mdmProfileData()));
                    if (!rts.includeBootstrapToken() || sealer == null) {
                        return Mono.just(reply(answer));
                    }
                    return store.findBootstrapToken(deviceId)
                            .map(t -> {
                                put(answer, "BootstrapToken", sealer.open(deviceId, t.keyId(), t.sealedToken()));
                                return reply(answer);
                            })
                            .defaultIfEmpty(reply(answer));
                });
    }

    private static void put(NSDictionary d, String key, byte[] value) {
        if (value != null) {
            d.put(key, new NSData(value));
        }
    }

    private static CheckinReply reply(NSDictionary settings) {
        NSDictionary reply = new NSDictionary();
        reply.put("ReturnToService", settings);
        return CheckinReply.plist(reply);
    }
}
