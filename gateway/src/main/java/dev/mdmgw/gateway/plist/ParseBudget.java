package dev.mdmgw.gateway.plist;

/** Enforces {@link DecoderLimits} while one body is read; not shared between bodies. */
final class ParseBudget {
    private final DecoderLimits limits;
    private int objects;

    ParseBudget(DecoderLimits limits) {
        this.limits = limits;
    }

    DecoderLimits limits() {
        return limits;
    }

    /** Called once per value before it is read; {@code depth} of the root value is 1. */
    void enter(int depth) throws BadMessageException {
        if (depth > limits.maxDepth()) {
            throw new BadMessageException("plist is nested deeper than " + limits.maxDepth() + " levels");
        }
        if (++objects > limits.maxObjects()) {
            throw new BadMessageException("plist has more than " + limits.maxObjects() + " values");
        }
    }

    void dictSize(int keys) throws BadMessageException {
        if (keys > limits.maxDictKeys()) {
            throw new BadMessageException("a dictionary has more than " + limits.maxDictKeys() + " keys");
        }
    }

    void arraySize(int items) throws BadMessageException {
        if (items > limits.maxArrayItems()) {
            throw new BadMessageException("an array has more than " + limits.maxArrayItems() + " items");
        }
    }

    void stringLength(int chars, String key) throws BadMessageException {
        if (chars > limits.maxStringChars()) {
            throw new BadMessageException(Text.where(key) + "string is longer than " + limits.maxStringChars()
                    + " characters");
        }
    }

    void dataLength(long bytes, String key) throws BadMessageException {
        if (bytes > limits.maxDataBytes()) {
            throw new BadMessageException(Text.where(key) + "data is larger than " + limits.maxDataBytes() + " bytes");
        }
    }
}
