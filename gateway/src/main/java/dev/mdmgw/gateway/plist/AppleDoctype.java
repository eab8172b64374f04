package dev.mdmgw.gateway.plist;

/**
 * Accepts only Apple's plist DOCTYPE. The parser never loads a DTD and never expands an entity it
 * declares, but any other DTD (or an internal subset) means the body was not written by a device,
 * so both are refused here, before a single element is read.
 */
final class AppleDoctype {
    static final String SYSTEM_ID = "http://www.apple.com/DTDs/PropertyList-1.0.dtd";
    private static final String PUBLIC_ID = "-//Apple//DTD PLIST 1.0//EN";
    /** What macOS before 10.5 wrote; still produced by some Apple tooling. */
    private static final String LEGACY_PUBLIC_ID = "-//Apple Computer//DTD PLIST 1.0//EN";

    private AppleDoctype() {
    }

    /** The parts of a {@code <!DOCTYPE>} as the parser reports them; an absent part is null. */
    static void check(String rootName, String publicId, String systemId, String internalSubset)
            throws BadMessageException {
        boolean apple = "plist".equals(rootName)
                && (PUBLIC_ID.equals(publicId) || LEGACY_PUBLIC_ID.equals(publicId))
                && SYSTEM_ID.equals(systemId)
                && (internalSubset == null || internalSubset.isEmpty());
        if (!apple) {
            throw new BadMessageException("DOCTYPE must be Apple's plist DTD ("
                    + "PUBLIC \"" + PUBLIC_ID + "\" \"" + SYSTEM_ID + "\") with no internal subset");
        }
    }
}
