package dev.mdmgw.gateway.plist;

import dev.mdmgw.gateway.mdm.CheckinMessage;
import java.util.Map;

/**
 * Decodes a check-in request body (XML or binary plist) into a validated {@link CheckinMessage}.
 *
 * <p>Thread-safe and reusable; pure CPU with no I/O (no DTD or entity is ever fetched). Every
 * problem with the bytes, however hostile, surfaces as a {@link BadMessageException} whose
 * message is a plain-text 400 reason; nothing else escapes.
 */
public final class CheckinDecoder {
    private final DecoderLimits limits;
    private final CheckinBinder binder;

    public CheckinDecoder() {
        this(DecoderLimits.DEFAULTS);
    }

    public CheckinDecoder(DecoderLimits limits) {
        this.limits = limits;
        this.binder = new CheckinBinder(limits);
    }

    public CheckinMessage decode(byte[] body) throws BadMessageException {
        if (body == null || body.length == 0) {
            throw new BadMessageException("empty body");
        }
        try {
            Object root = BinaryPlistReader.isBinary(body)
                    ? BinaryPlistReader.read(body, limits)
                    : XmlPlistReader.read(body, limits);
            if (!(root instanceof Map<?, ?>)) {
                throw new BadMessageException("plist root must be " + PlistTypes.DICT + ", not "
                        + PlistTypes.nameOf(root));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> entries = (Map<String, Object>) root;
            return binder.bind(new PlistDict(entries, ""));
        } catch (RuntimeException | StackOverflowError e) {
            // A parser bug on some input we did not foresee is still that input's fault, not a 500.
            throw new BadMessageException("malformed plist", e);
        }
    }
}
