package dev.mdmgw.gateway.service.handler;

import dev.mdmgw.gateway.mdm.CheckinMessage;
import dev.mdmgw.gateway.service.CheckinContext;
import dev.mdmgw.gateway.service.CheckinRejectedException;

/** The device a message concerns: named in its body, or else the one its identity certificate is bound to. */
final class DeviceOf {
    private DeviceOf() {
    }

    static String deviceId(CheckinMessage m, CheckinContext ctx) {
        if (m.enrollment() != null) {
            return m.enrollment().deviceId();
        }
        if (ctx.identity().deviceId() != null) {
            return ctx.identity().deviceId();
        }
        throw new CheckinRejectedException(400, m.messageType().wireName()
                + " names no device (no UDID) and no identity certificate is bound to one");
    }
}
