package dev.mdmgw.gateway.plist;

import com.dd.plist.BinaryPropertyListWriter;
import com.dd.plist.NSArray;
import com.dd.plist.NSData;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny check-in body builder: one dictionary, written as Apple-style XML or as a binary plist
 * (through dd-plist's writer), so every rule can be exercised in both formats. The end-to-end
 * tests send its bodies over a socket too.
 */
public final class Plist {
    static final String HEADER = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
            <plist version="1.0">
            """;

    static final String TOPIC = "com.apple.mgmt.External.53b84869-7f41-4266-9e0c-5c3f1b2a8d11";
    static final String UDID = "00008030-001A2D3C0E88802E";
    static final String ENROLLMENT_ID = "9F3A2C1B-5D4E-4F60-8A7B-1C2D3E4F5A6B";
    static final byte[] TOKEN = bytes(32, 0x5A);

    private final Map<String, Object> entries = new LinkedHashMap<>();

    public static Plist message(String messageType) {
        return new Plist().with("MessageType", messageType);
    }

    /** A device-channel message carrying the keys every channel needs. */
    static Plist device(String messageType) {
        return message(messageType).with("UDID", UDID);
    }

    static Plist tokenUpdate() {
        return device("TokenUpdate").with("Topic", TOPIC).with("Token", TOKEN).with("PushMagic", "2E0AF5B8-7A7E");
    }

    public static Plist dict() {
        return new Plist();
    }

    public Plist with(String key, Object value) {
        entries.put(key, value);
        return this;
    }

    public Plist without(String key) {
        entries.remove(key);
        return this;
    }

    Plist copy() {
        Plist p = new Plist();
        p.entries.putAll(entries);
        return p;
    }

    public byte[] xml() {
        return xmlText().getBytes(StandardCharsets.UTF_8);
    }

    String xmlText() {
        StringBuilder sb = new StringBuilder(HEADER);
        writeXml(sb, entries, 0);
        return sb.append("\n</plist>\n").toString();
    }

    public byte[] binary() {
        return binaryOf(entries);
    }

    /** Any value (not just a dictionary) as a binary plist. */
    static byte[] binaryOf(Object root) {
        try {
            return BinaryPropertyListWriter.writeToArray(toNs(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] encode(Format format) {
        return format == Format.XML ? xml() : binary();
    }

    enum Format { XML, BINARY }

    static byte[] bytes(int length, int value) {
        byte[] b = new byte[length];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    private static void writeXml(StringBuilder sb, Object value, int indent) {
        String tabs = "\t".repeat(indent);
        if (value instanceof Plist p) {
            writeXml(sb, p.entries, indent);
        } else if (value instanceof Map<?, ?> map) {
            sb.append(tabs).append("<dict>\n");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sb.append(tabs).append("\t<key>").append(escape(e.getKey().toString())).append("</key>\n");
                writeXml(sb, e.getValue(), indent + 1);
            }
            sb.append(tabs).append("</dict>\n");
        } else if (value instanceof List<?> list) {
            sb.append(tabs).append("<array>\n");
            for (Object item : list) {
                writeXml(sb, item, indent + 1);
            }
            sb.append(tabs).append("</array>\n");
        } else if (value instanceof String s) {
            sb.append(tabs).append("<string>").append(escape(s)).append("</string>\n");
        } else if (value instanceof byte[] b) {
            // Apple wraps base64 at 52 columns on its own indented lines.
            String b64 = Base64.getEncoder().encodeToString(b);
            sb.append(tabs).append("<data>\n");
            for (int i = 0; i < b64.length(); i += 52) {
                sb.append(tabs).append(b64, i, Math.min(b64.length(), i + 52)).append('\n');
            }
            sb.append(tabs).append("</data>\n");
        } else if (value instanceof Boolean b) {
            sb.append(tabs).append(b ? "<true/>" : "<false/>").append('\n');
        } else if (value instanceof Integer || value instanceof Long) {
            sb.append(tabs).append("<integer>").append(value).append("</integer>\n");
        } else if (value instanceof Double d) {
            sb.append(tabs).append("<real>").append(d).append("</real>\n");
        } else {
            throw new IllegalArgumentException("no plist form for " + value);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static NSObject toNs(Object value) {
        if (value instanceof Plist p) {
            return toNs(p.entries);
        } else if (value instanceof Map<?, ?> map) {
            NSDictionary d = new NSDictionary();
            map.forEach((k, v) -> d.put(k.toString(), toNs(v)));
            return d;
        } else if (value instanceof List<?> list) {
            NSArray a = new NSArray(list.size());
            for (int i = 0; i < list.size(); i++) {
                a.setValue(i, toNs(list.get(i)));
            }
            return a;
        } else if (value instanceof String s) {
            return new NSString(s);
        } else if (value instanceof byte[] b) {
            return new NSData(b);
        } else if (value instanceof Boolean b) {
            return new NSNumber(b);
        } else if (value instanceof Integer i) {
            return new NSNumber(i);
        } else if (value instanceof Long l) {
            return new NSNumber(l);
        } else if (value instanceof Double d) {
            return new NSNumber(d);
        }
        throw new IllegalArgumentException("no plist form for " + value);
    }
}
