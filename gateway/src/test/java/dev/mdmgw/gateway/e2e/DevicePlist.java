package dev.mdmgw.gateway.e2e;

import dev.mdmgw.gateway.plist.Plist;
import java.util.LinkedHashMap;
import java.util.Map;

/** Check-in bodies as devices send them, for the end-to-end tests. */
final class DevicePlist {
    static final String SHARED_IPAD_USER = "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF";
    static final String TOPIC = "com.apple.mgmt.External.e2e";

    private DevicePlist() {
    }

    static Plist of(String messageType) {
        return Plist.message(messageType);
    }

    static Plist authenticate(String udid) {
        return of("Authenticate").with("UDID", udid).with("Topic", TOPIC).with("SerialNumber", "SN" + udid.hashCode())
                .with("Model", "iPhone15,2").with("ModelName", "iPhone").with("DeviceName", "Test iPhone")
                .with("OSVersion", "17.4").with("BuildVersion", "21E219").with("ProductName", "iPhone15,2");
    }

    /**
     * A valid body of every MessageType, each speaking for device {@code udid} (CheckOut last
     * because it disables the enrollment).
     */
    static Map<String, Plist> everyType(String udid) {
        Map<String, Plist> bodies = new LinkedHashMap<>();
        bodies.put("Authenticate", authenticate(udid));
        bodies.put("TokenUpdate", tokenUpdate("magic-" + udid, new byte[32]).with("UDID", udid));
        bodies.put("SetBootstrapToken", of("SetBootstrapToken").with("UDID", udid).with("BootstrapToken", new byte[] {1, 2}));
        bodies.put("GetBootstrapToken", of("GetBootstrapToken").with("UDID", udid));
        bodies.put("GetToken", of("GetToken").with("UDID", udid).with("TokenServiceType", "com.apple.maid"));
        bodies.put("UserAuthenticate", of("UserAuthenticate").with("UDID", udid)
                .with("UserID", "099C810D-B371-4729-8369-559BADA24F50"));
        bodies.put("DeclarativeManagement", of("DeclarativeManagement").with("UDID", udid).with("Endpoint", "tokens"));
        bodies.put("ReturnToService", of("ReturnToService").with("UDID", udid));
        bodies.put("CheckOut", of("CheckOut").with("UDID", udid).with("Topic", TOPIC));
        return bodies;
    }

    static Plist tokenUpdate(String pushMagic, byte[] token) {
        return of("TokenUpdate").with("Topic", TOPIC).with("PushMagic", pushMagic).with("Token", token);
    }
}
