package dev.mdmgw.loadtest;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Builds a device's check-in bodies, as devices send them (Apple's DOCTYPE, tab indented). With
 * an identity, every body is signed once up front, so sending is just picking bytes; without one
 * ({@code --auth none}) bodies are built when sent. TokenUpdates come in a few variants with
 * different PushMagic and Token, so {@code --verify} can tell which one was stored last: a variant's
 * values follow from the run's seed, the device and the variant number, so they can be rebuilt.
 */
public final class RequestCatalog implements DeviceRequests {
    public static final String SIGNATURE_HEADER = "Mdm-Signature";

    private static final String HEAD = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
            <plist version="1.0">
            <dict>
            """;
    private static final String TAIL = "</dict>\n</plist>\n";
    private static final String UNLOCK_TOKEN = Base64.getEncoder().encodeToString(new byte[96]);

    private final AuthMode auth;
    private final String certHeader;
    private final String topic;
    private final Set<MessageType> types;
    private final int tokenVariants;
    // Per run: values of an earlier run against the same devices never match this run's.
    private final long seed = new SecureRandom().nextLong();

    /** {@code types}: the ones to prepare (the mix's); Authenticate and TokenUpdate always are, for enrollment. */
    public RequestCatalog(AuthMode auth, String certHeader, String topic, Set<MessageType> types, int tokenVariants) {
        if (tokenVariants > Device.MAX_VARIANTS) {
            throw new IllegalArgumentException("at most " + Device.MAX_VARIANTS + " TokenUpdate variants");
        }
        this.auth = auth;
        this.certHeader = certHeader;
        this.topic = topic;
        this.types = types;
        this.tokenVariants = Math.max(1, tokenVariants);
    }

    /** A device's requests: this catalog itself (built when sent) with {@code --auth none}, else signed now. */
    public DeviceRequests prepare(String udid, int index, DeviceIdentity identity) {
        if (identity == null) {
            return this;
        }
        Map<MessageType, CheckinRequest[]> out = new EnumMap<>(MessageType.class);
        for (MessageType t : MessageType.values()) {
            if (t == MessageType.AUTHENTICATE || t == MessageType.TOKEN_UPDATE || types.contains(t)) {
                CheckinRequest[] reqs = new CheckinRequest[variants(t)];
                for (int v = 0; v < reqs.length; v++) {
                    reqs[v] = request(t, udid, index, v, identity);
                }
                out.put(t, reqs);
            }
        }
        return new Prepared(out);
    }

    @Override
    public CheckinRequest get(Device d, MessageType type, int variant) {
        return request(type, d.udid(), d.index(), variant, null);
    }

    @Override
    public int variants(MessageType type) {
        return type == MessageType.TOKEN_UPDATE ? tokenVariants : 1;
    }

    /** Signed requests, made once. */
    private record Prepared(Map<MessageType, CheckinRequest[]> requests) implements DeviceRequests {
        @Override
        public CheckinRequest get(Device d, MessageType type, int variant) {
            CheckinRequest[] r = requests.get(type);
            return r == null ? null : r[variant];
        }

        @Override
        public int variants(MessageType type) {
            CheckinRequest[] r = requests.get(type);
            return r == null ? 0 : r.length;
        }
    }

    CheckinRequest request(MessageType t, String udid, int index, int variant, DeviceIdentity identity) {
        String pushMagic = null;
        String tokenHex = null;
        StringBuilder xml = new StringBuilder(1024).append(HEAD);
        switch (t) {
            case AUTHENTICATE -> {
                String serial = String.format(Locale.ROOT, "LT%010d", index);
                key(xml, "BuildVersion").string(xml, "21F90");
                key(xml, "DeviceName").string(xml, "Loadtest iPhone " + serial);
                messageType(xml, t);
                key(xml, "Model").string(xml, "iPhone14,5");
                key(xml, "OSVersion").string(xml, "17.5.1");
                key(xml, "ProductName").string(xml, "iPhone14,5");
                key(xml, "SerialNumber").string(xml, serial);
                key(xml, "Topic").string(xml, topic);
            }
            case TOKEN_UPDATE -> {
                SplittableRandom values = new SplittableRandom(seed ^ index * 0x9E3779B97F4A7C15L ^ (variant + 1L) << 40);
                byte[] token = new byte[32];
                values.nextBytes(token);
                pushMagic = new UUID(values.nextLong(), values.nextLong()).toString().toUpperCase(Locale.ROOT);
                tokenHex = HexFormat.of().formatHex(token);
                key(xml, "AwaitingConfiguration");
                xml.append("\t<false/>\n");
                messageType(xml, t);
                key(xml, "PushMagic").string(xml, pushMagic);
                key(xml, "Token").data(xml, token);
                key(xml, "Topic").string(xml, topic);
                key(xml, "UnlockToken");
                xml.append("\t<data>\n\t").append(UNLOCK_TOKEN).append("\n\t</data>\n");
            }
            case CHECK_OUT -> {
                messageType(xml, t);
                key(xml, "Topic").string(xml, topic);
            }
            case SET_BOOTSTRAP_TOKEN -> {
                key(xml, "BootstrapToken").data(xml, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
                messageType(xml, t);
            }
            case GET_TOKEN -> {
                messageType(xml, t);
                key(xml, "TokenServiceType").string(xml, "com.apple.maid");
            }
            case USER_AUTHENTICATE -> {
                messageType(xml, t);
                key(xml, "UserID").string(xml, "099C810D-B371-4729-8369-559BADA24F50");
            }
            case DECLARATIVE_MANAGEMENT -> {
                key(xml, "Endpoint").string(xml, "tokens");
                messageType(xml, t);
            }
            case GET_BOOTSTRAP_TOKEN, RETURN_TO_SERVICE -> messageType(xml, t);
        }
        key(xml, "UDID").string(xml, udid);
        byte[] body = xml.append(TAIL).toString().getBytes(StandardCharsets.UTF_8);
        return switch (auth) {
            case SIGNATURE -> new CheckinRequest(t, variant, body, SIGNATURE_HEADER, identity.sign(body), pushMagic, tokenHex);
            case HEADER -> new CheckinRequest(t, variant, body, certHeader, identity.rfc9440(), pushMagic, tokenHex);
            case NONE -> new CheckinRequest(t, variant, body, null, null, pushMagic, tokenHex);
        };
    }

    // A tiny fluent writer: key(...) then string(...) or data(...).
    private static final Writer W = new Writer();

    private static Writer key(StringBuilder xml, String key) {
        xml.append("\t<key>").append(key).append("</key>\n");
        return W;
    }

    private static void messageType(StringBuilder xml, MessageType t) {
        key(xml, "MessageType").string(xml, t.plistName());
    }

    private static final class Writer {
        void string(StringBuilder xml, String value) {
            xml.append("\t<string>").append(value).append("</string>\n");
        }

        void data(StringBuilder xml, byte[] value) {
            xml.append("\t<data>\n\t").append(Base64.getEncoder().encodeToString(value)).append("\n\t</data>\n");
        }
    }
}
