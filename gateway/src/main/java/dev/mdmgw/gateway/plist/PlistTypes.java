package dev.mdmgw.gateway.plist;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The Java form of plist values, shared by the XML and binary readers: {@code <string>} String,
 * {@code <data>} byte[], {@code <true/>/<false/>} Boolean, {@code <integer>} Long (BigInteger
 * beyond 64 bits), {@code <real>} Double, {@code <date>} Instant, {@code <array>} List,
 * {@code <dict>} Map&lt;String, Object&gt;.
 */
final class PlistTypes {
    static final String STRING = "<string>";
    static final String DATA = "<data>";
    static final String BOOLEAN = "<boolean>";
    static final String DICT = "<dict>";

    private PlistTypes() {
    }

    /** The plist type name of a value, as the schema writes it. */
    static String nameOf(Object value) {
        if (value instanceof String) {
            return STRING;
        } else if (value instanceof byte[]) {
            return DATA;
        } else if (value instanceof Boolean) {
            return BOOLEAN;
        } else if (value instanceof Long || value instanceof BigInteger) {
            return "<integer>";
        } else if (value instanceof Double) {
            return "<real>";
        } else if (value instanceof Instant) {
            return "<date>";
        } else if (value instanceof List) {
            return "<array>";
        } else if (value instanceof Map) {
            return DICT;
        }
        return "<unknown>";
    }
}
