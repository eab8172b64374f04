package dev.mdmgw.gateway.e2e;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds check-in bodies the way devices write them: XML plist with Apple's DOCTYPE. */
final class DevicePlist {
    static final String SHARED_IPAD_USER = "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF";
    static final String TOPIC = "com.apple.mgmt.External.e2e";

    private final Map<String, Object> keys = new LinkedHashMap<>();

    private DevicePlist(String messageType) {
        keys.put("MessageType", messageType);
    }

    static DevicePlist of(String messageType) {
        return new DevicePlist(messageType);
    }

    static DevicePlist authenticate(String udid) {
        return of("Authenticate").put("UDID", udid).put("Topic", TOPIC).put("SerialNumber", "SN" + udid.hashCode())
                .put("Model", "iPhone15,2").put("ModelName", "iPhone").put("DeviceName", "Test iPhone")
                .put("OSVersion", "17.4").put("BuildVersion", "21E219").put("ProductName", "iPhone15,2");
    }

    static DevicePlist tokenUpdate(String pushMagic, byte[] token) {
        return of("TokenUpdate").put("Topic", TOPIC).put("PushMagic", pushMagic).put("Token", token);
    }

    DevicePlist put(String key, Object value) {
        keys.put(key, value);
        return this;
    }

    DevicePlist remove(String key) {
        keys.remove(key);
        return this;
    }

    byte[] xml() {
        StringBuilder sb = new StringBuilder(512)
                .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" ")
                .append("\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n")
                .append("<plist version=\"1.0\">\n<dict>\n");
        for (Map.Entry<String, Object> e : keys.entrySet()) {
            sb.append("\t<key>").append(escape(e.getKey())).append("</key>\n\t");
            Object v = e.getValue();
            if (v instanceof byte[] b) {
                sb.append("<data>\n\t").append(Base64.getMimeEncoder().encodeToString(b)).append("\n\t</data>\n");
            } else if (v instanceof Boolean bool) {
                sb.append(bool ? "<true/>\n" : "<false/>\n");
            } else {
                sb.append("<string>").append(escape(String.valueOf(v))).append("</string>\n");
            }
        }
        return sb.append("</dict>\n</plist>\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
