package dev.mdmgw.gateway.plist;

/**
 * Bounds on what a check-in body may contain. Real bodies are a few KB with a flat dictionary, so
 * anything near these limits is hostile or broken.
 *
 * @param maxStringChars     longest {@code <string>} or {@code <key>}
 * @param maxIdentifierChars longest id or topic ({@code UDID}, {@code UserID}, ...); ids end up
 *                           in database keys, where a few hundred bytes is already generous
 * @param maxDataBytes       largest decoded {@code <data>} (DeclarativeManagement status reports
 *                           are the big ones)
 * @param maxDepth           deepest nesting of containers; the root dictionary is depth 1
 * @param maxDictKeys        most keys in one dictionary
 * @param maxArrayItems      most items in one array
 * @param maxObjects         most values in the whole body, containers included
 */
public record DecoderLimits(int maxStringChars, int maxIdentifierChars, int maxDataBytes, int maxDepth,
                            int maxDictKeys, int maxArrayItems, int maxObjects) {

    public static final DecoderLimits DEFAULTS = new DecoderLimits(4096, 256, 1 << 20, 16, 1000, 1000, 10_000);

    public DecoderLimits {
        if (maxStringChars < 1 || maxIdentifierChars < 1 || maxDataBytes < 1 || maxDepth < 1 || maxDictKeys < 1
                || maxArrayItems < 1 || maxObjects < 1) {
            throw new IllegalArgumentException("every limit must be positive");
        }
    }

    /** The defaults, with {@code <data>} allowed to be as large as the largest body accepted. */
    public static DecoderLimits forMaxBody(int maxBodyBytes) {
        return new DecoderLimits(DEFAULTS.maxStringChars(), DEFAULTS.maxIdentifierChars(), maxBodyBytes,
                DEFAULTS.maxDepth(), DEFAULTS.maxDictKeys(), DEFAULTS.maxArrayItems(), DEFAULTS.maxObjects());
    }
}
