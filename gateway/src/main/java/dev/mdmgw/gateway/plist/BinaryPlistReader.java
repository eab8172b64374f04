package dev.mdmgw.gateway.plist;

import com.dd.plist.BinaryPropertyListParser;
import com.dd.plist.NSArray;
import com.dd.plist.NSData;
import com.dd.plist.NSDate;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import com.dd.plist.PropertyListFormatException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code bplist00} body with dd-plist and converts it to the same Java values as
 * {@link XmlPlistReader}. Devices send XML; binary is accepted because the protocol allows it, so
 * this path favours containment over speed.
 */
final class BinaryPlistReader {
    static final byte[] MAGIC = {'b', 'p', 'l', 'i', 's', 't'};
    private static final int HEADER = 8;
    private static final int TRAILER = 32;

    private final ParseBudget budget;

    private BinaryPlistReader(ParseBudget budget) {
        this.budget = budget;
    }

    static boolean isBinary(byte[] body) {
        if (body.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (body[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** The root value of the binary plist in {@code body}; never null. */
    static Object read(byte[] body, DecoderLimits limits) throws BadMessageException {
        checkEnvelope(body, limits);
        NSObject root;
        try {
            root = BinaryPropertyListParser.parse(body);
        } catch (PropertyListFormatException | java.io.UnsupportedEncodingException e) {
            throw new BadMessageException("malformed binary plist: " + Text.oneLine(e.getMessage()), e);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // Crafted offsets, lengths and cycles have historically escaped parsers as index,
            // arithmetic or stack errors (or huge allocations); all of them mean a bad body.
            throw new BadMessageException("malformed binary plist", e);
        }
        if (root == null) {
            throw new BadMessageException("malformed binary plist: no root object");
        }
        return new BinaryPlistReader(new ParseBudget(limits)).convert(root, 1, null);
    }

    /**
     * Checks the header and the trailer's object count before dd-plist sees the body, so an
     * absurd declared size is refused without any allocation; then vets every object's length
     * marker, because dd-plist prints a warning to stderr for a bad one (see {@link XmlCharset}
     * for why nothing a client sends may reach stderr).
     */
    private static void checkEnvelope(byte[] body, DecoderLimits limits) throws BadMessageException {
        if (body.length < HEADER + TRAILER + 1) {
            throw new BadMessageException("malformed binary plist: truncated");
        }
        if (body[6] != '0' || body[7] != '0') {
            throw new BadMessageException("unsupported binary plist version (only bplist00)");
        }
        int trailer = body.length - TRAILER;
        int offsetSize = body[trailer + 6] & 0xFF;
        long objects = unsigned(body, trailer + 8, 8);
        long tableOffset = unsigned(body, trailer + 24, 8);
        if (objects < 1 || objects > limits.maxObjects()) {
            throw new BadMessageException("binary plist declares " + Long.toUnsignedString(objects)
                    + " objects; at most " + limits.maxObjects() + " are allowed");
        }
        if (offsetSize < 1 || offsetSize > 8 || tableOffset < HEADER
                || tableOffset + objects * offsetSize > trailer) {
            throw new BadMessageException("malformed binary plist: bad offset table");
        }
        for (int i = 0; i < objects; i++) {
            long offset = unsigned(body, (int) tableOffset + i * offsetSize, offsetSize);
            if (offset < HEADER || offset >= tableOffset) {
                throw new BadMessageException("malformed binary plist: object offset out of range");
            }
            int marker = body[(int) offset] & 0xFF;
            if (hasLength(marker >> 4) && (marker & 0x0F) == 0x0F
                    && (offset + 1 >= tableOffset || (body[(int) offset + 1] & 0xF0) != 0x10)) {
                throw new BadMessageException("malformed binary plist: bad length of object " + i);
            }
        }
    }

    /** Data, strings, arrays, sets and dictionaries carry a length that may spill into an integer object. */
    private static boolean hasLength(int type) {
        return (type >= 0x4 && type <= 0x7) || (type >= 0xA && type <= 0xD);
    }

    private static long unsigned(byte[] bytes, int from, int size) {
        long value = 0;
        for (int i = from; i < from + size; i++) {
            value = value << 8 | (bytes[i] & 0xFF);
        }
        return value;
    }

    /**
     * Binary plists may reference one object from many places, so a small body can describe an
     * exponentially large tree; the budget counts every visit, which bounds that too.
     */
    private Object convert(NSObject object, int depth, String key) throws BadMessageException {
        budget.enter(depth);
        if (object instanceof NSDictionary dict) {
            budget.dictSize(dict.count());
            Map<String, Object> entries = new HashMap<>(dict.count() * 2);
            for (Map.Entry<String, NSObject> e : dict.getHashMap().entrySet()) {
                budget.stringLength(e.getKey().length(), key);
                entries.put(e.getKey(), convert(e.getValue(), depth + 1, e.getKey()));
            }
            return entries;
        } else if (object instanceof NSArray array) {
            budget.arraySize(array.count());
            List<Object> items = new ArrayList<>(array.count());
            for (NSObject item : array.getArray()) {
                items.add(convert(item, depth + 1, key));
            }
            return items;
        } else if (object instanceof NSString s) {
            budget.stringLength(s.getContent().length(), key);
            return s.getContent();
        } else if (object instanceof NSData data) {
            budget.dataLength(data.length(), key);
            return data.bytes();
        } else if (object instanceof NSNumber n) {
            return switch (n.type()) {
                case NSNumber.BOOLEAN -> n.boolValue();
                case NSNumber.INTEGER -> n.longValue();
                default -> n.doubleValue();
            };
        } else if (object instanceof NSDate date) {
            return date.getDate().toInstant();
        }
        throw new BadMessageException(Text.where(key) + "unsupported binary plist value "
                + (object == null ? "null" : object.getClass().getSimpleName()));
    }
}
