package dev.mdmgw.gateway.e2e;

import dev.mdmgw.gateway.plist.Plist;

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

    static Plist tokenUpdate(String pushMagic, byte[] token) {
        return of("TokenUpdate").with("Topic", TOPIC).with("PushMagic", pushMagic).with("Token", token);
    }
}
