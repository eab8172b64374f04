package dev.mdmgw.gateway.plist;

import com.fasterxml.aalto.stax.InputFactoryImpl;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.codehaus.stax2.DTDInfo;
import org.codehaus.stax2.XMLStreamReader2;

/**
 * Streams an XML plist into plain Java values (see {@link PlistTypes}) without building a DOM.
 *
 * <p>Safety comes from three layers: the StAX factory never reads a DTD or an external entity
 * (and its resolver refuses if asked), the DOCTYPE must be Apple's ({@link AppleDoctype}), and
 * only the plist element vocabulary is accepted, so XInclude or foreign markup is just an unknown
 * element. Sizes are bounded by {@link ParseBudget} while text accumulates, not afterwards.
 */
final class XmlPlistReader {

    /**
     * Aalto: a StAX parser cheaper per small document than the JDK's, whose per-document reset
     * cost as much as the parse. It never reads a DTD or an external entity; an entity reference
     * it cannot resolve is a well-formedness error, and only an internal subset could declare one,
     * which {@link AppleDoctype} refuses before the first element. One factory per decoding
     * thread; the class is named, not looked up, so no other StAX provider on the classpath can
     * replace it.
     */
    private static final ThreadLocal<XMLInputFactory> FACTORY = ThreadLocal.withInitial(XmlPlistReader::newFactory);

    /** Base64 text is gathered here, reused per thread so a typical UnlockToken allocates nothing extra. */
    private static final ThreadLocal<byte[]> BASE64_SCRATCH = ThreadLocal.withInitial(() -> new byte[8192]);
    private static final int MAX_KEPT_SCRATCH = 64 * 1024;

    private final XMLStreamReader xml;
    private final ParseBudget budget;
    private final StringBuilder text = new StringBuilder(64);
    /** The dictionary key whose value is being read, for error messages. */
    private String key;

    private XmlPlistReader(XMLStreamReader xml, ParseBudget budget) {
        this.xml = xml;
        this.budget = budget;
    }

    /** The root value of the plist in {@code body}; never null. */
    static Object read(byte[] body, DecoderLimits limits) throws BadMessageException {
        XMLStreamReader xml;
        try {
            xml = FACTORY.get().createXMLStreamReader(XmlCharset.reader(body));
        } catch (XMLStreamException e) {
            throw malformed(e);
        }
        try {
            return new XmlPlistReader(xml, new ParseBudget(limits)).document();
        } catch (XMLStreamException e) {
            throw malformed(e);
        } catch (RuntimeException e) {
            // Methods StAX declares without XMLStreamException (getText, isWhiteSpace) parse lazily
            // in Aalto and wrap a well-formedness error in an unchecked one.
            if (e.getCause() instanceof XMLStreamException cause) {
                throw malformed(cause);
            }
            throw e;
        } finally {
            try {
                xml.close();
            } catch (XMLStreamException ignored) {
                // Nothing is held open: the input is in memory.
            }
        }
    }

    private static XMLInputFactory newFactory() {
        XMLInputFactory f = new InputFactoryImpl();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_COALESCING, Boolean.FALSE);
        f.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external resources are not loaded");
        });
        return f;
    }

    private Object document() throws XMLStreamException, BadMessageException {
        Object root = null;
        while (xml.hasNext()) {
            switch (xml.next()) {
                case XMLStreamConstants.DTD -> {
                    DTDInfo dtd = ((XMLStreamReader2) xml).getDTDInfo();
                    AppleDoctype.check(dtd.getDTDRootName(), dtd.getDTDPublicId(), dtd.getDTDSystemId(),
                            dtd.getDTDInternalSubset());
                }
                case XMLStreamConstants.START_ELEMENT -> {
                    if (root != null || !"plist".equals(name())) {
                        throw new BadMessageException("root element must be <plist>");
                    }
                    root = plist();
                }
                case XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION,
                        XMLStreamConstants.SPACE, XMLStreamConstants.CHARACTERS,
                        XMLStreamConstants.START_DOCUMENT, XMLStreamConstants.END_DOCUMENT -> {
                    // Text outside the root is a well-formedness error the parser reports itself.
                }
                default -> throw unexpectedMarkup();
            }
        }
        if (root == null) {
            throw new BadMessageException("body holds no <plist>");
        }
        return root;
    }

    private Object plist() throws XMLStreamException, BadMessageException {
        Object value = null;
        while (nextTag() == XMLStreamConstants.START_ELEMENT) {
            if (value != null) {
                throw new BadMessageException("<plist> must hold exactly one value");
            }
            value = value(1);
        }
        if (value == null) {
            throw new BadMessageException("<plist> is empty");
        }
        return value;
    }

    /** Reads the value whose start tag is the current event, through its end tag. */
    private Object value(int depth) throws XMLStreamException, BadMessageException {
        budget.enter(depth);
        String element = name();
        return switch (element) {
            case "dict" -> dict(depth);
            case "array" -> array(depth);
            case "string" -> string();
            case "data" -> data();
            case "true" -> bool(Boolean.TRUE);
            case "false" -> bool(Boolean.FALSE);
            case "integer" -> integer(scalar("integer"));
            case "real" -> real(scalar("real"));
            case "date" -> date(scalar("date"));
            default -> throw new BadMessageException(Text.where(key) + "unsupported element " + Text.quote(element));
        };
    }

    private Map<String, Object> dict(int depth) throws XMLStreamException, BadMessageException {
        Map<String, Object> entries = new HashMap<>();
        String outerKey = key;
        while (nextTag() == XMLStreamConstants.START_ELEMENT) {
            if (!"key".equals(name())) {
                throw new BadMessageException(Text.where(outerKey) + "<dict> holds <" + name()
                        + "> where a <key> belongs");
            }
            String name = string();
            if (nextTag() != XMLStreamConstants.START_ELEMENT) {
                throw new BadMessageException(name + ": key has no value");
            }
            key = name;
            Object value = value(depth + 1);
            key = outerKey;
            if (entries.putIfAbsent(name, value) != null) {
                throw new BadMessageException("duplicate key " + name);
            }
            budget.dictSize(entries.size());
        }
        return entries;
    }

    private List<Object> array(int depth) throws XMLStreamException, BadMessageException {
        List<Object> items = new ArrayList<>();
        while (nextTag() == XMLStreamConstants.START_ELEMENT) {
            items.add(value(depth + 1));
            budget.arraySize(items.size());
        }
        return items;
    }

    private String string() throws XMLStreamException, BadMessageException {
        text.setLength(0);
        for (int event = xml.next(); event != XMLStreamConstants.END_ELEMENT; event = xml.next()) {
            if (isText(event)) {
                text.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                budget.stringLength(text.length(), key);
            } else if (!isIgnorable(event)) {
                throw new BadMessageException(Text.where(key) + "a text value must not hold " + markupName());
            }
        }
        return text.toString();
    }

    /** Integer, real and date text: short, so it shares the string path with a tighter bound. */
    private String scalar(String type) throws XMLStreamException, BadMessageException {
        String value = string().strip();
        if (value.length() > 64) {
            throw new BadMessageException(Text.where(key) + "<" + type + "> is too long");
        }
        return value;
    }

    private byte[] data() throws XMLStreamException, BadMessageException {
        byte[] ascii = BASE64_SCRATCH.get();
        int len = 0;
        for (int event = xml.next(); event != XMLStreamConstants.END_ELEMENT; event = xml.next()) {
            if (isText(event)) {
                char[] chars = xml.getTextCharacters();
                int end = xml.getTextStart() + xml.getTextLength();
                for (int i = xml.getTextStart(); i < end; i++) {
                    char c = chars[i];
                    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
                        continue;
                    }
                    if (c > 0x7F) {
                        throw new BadMessageException(Text.where(key) + "<data> is not valid base64");
                    }
                    if (len == ascii.length) {
                        budget.dataLength(Base64Text.maxDecodedLength(len), key);
                        ascii = Arrays.copyOf(ascii, len * 2);
                    }
                    ascii[len++] = (byte) c;
                }
            } else if (!isIgnorable(event)) {
                throw new BadMessageException(Text.where(key) + "<data> must hold only base64 text");
            }
        }
        if (ascii.length <= MAX_KEPT_SCRATCH) {
            BASE64_SCRATCH.set(ascii);
        }
        budget.dataLength(Base64Text.maxDecodedLength(len), key);
        byte[] bytes = Base64Text.decode(ascii, len);
        if (bytes == null) {
            throw new BadMessageException(Text.where(key) + "<data> is not valid base64");
        }
        return bytes;
    }

    private Boolean bool(Boolean value) throws XMLStreamException, BadMessageException {
        if (!string().isBlank()) {
            throw new BadMessageException(Text.where(key) + "<true/> and <false/> must be empty");
        }
        return value;
    }

    private Object integer(String s) throws BadMessageException {
        try {
            boolean hex = s.startsWith("0x") || s.startsWith("0X");
            BigInteger big = hex ? new BigInteger(s.substring(2), 16) : new BigInteger(s);
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        } catch (NumberFormatException e) {
            throw new BadMessageException(Text.where(key) + "<integer> is malformed");
        }
    }

    private Double real(String s) throws BadMessageException {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "nan" -> {
                return Double.NaN;
            }
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                // Double.parseDouble also takes "1d", "0x1p3" and "Infinity"; none is plist syntax.
                if (s.isEmpty() || !s.chars().allMatch(c -> (c >= '0' && c <= '9') || "+-.eE".indexOf(c) >= 0)) {
                    throw new BadMessageException(Text.where(key) + "<real> is malformed");
                }
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new BadMessageException(Text.where(key) + "<real> is malformed");
                }
            }
        }
    }

    private Instant date(String s) throws BadMessageException {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new BadMessageException(Text.where(key) + "<date> is not an ISO 8601 UTC time");
        }
    }

    /**
     * Advances to the next start or end tag inside a container, allowing only whitespace and
     * comments in between.
     */
    private int nextTag() throws XMLStreamException, BadMessageException {
        while (true) {
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT, XMLStreamConstants.END_ELEMENT -> {
                    return event;
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (!xml.isWhiteSpace()) {
                        throw new BadMessageException(Text.where(key) + "text is not allowed between plist elements");
                    }
                }
                case XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION -> {
                    // Harmless; Apple's own writer never emits them.
                }
                default -> throw unexpectedMarkup();
            }
        }
    }

    /**
     * The element's name as written: Aalto always resolves namespaces, and {@code <x:string>} must
     * not pass for {@code <string>}.
     */
    private String name() {
        String prefix = xml.getPrefix();
        return prefix == null || prefix.isEmpty() ? xml.getLocalName() : prefix + ":" + xml.getLocalName();
    }

    private static boolean isText(int event) {
        return event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
                || event == XMLStreamConstants.SPACE;
    }

    private static boolean isIgnorable(int event) {
        return event == XMLStreamConstants.COMMENT || event == XMLStreamConstants.PROCESSING_INSTRUCTION;
    }

    private String markupName() {
        return xml.getEventType() == XMLStreamConstants.START_ELEMENT ? "<" + name() + ">" : "markup";
    }

    private BadMessageException unexpectedMarkup() {
        return new BadMessageException(Text.where(key) + "unexpected XML markup (entity references, DTDs and"
                + " foreign constructs are not allowed)");
    }

    private static BadMessageException malformed(XMLStreamException e) {
        String message = e.getMessage();
        int at = message == null ? -1 : message.indexOf("Message: ");
        String reason = at < 0 ? message : message.substring(at + "Message: ".length());
        Location location = e.getLocation();
        String position = location == null ? ""
                : " (line " + location.getLineNumber() + ", column " + location.getColumnNumber() + ")";
        return new BadMessageException("malformed XML" + position + ": " + Text.oneLine(reason), e);
    }
}
