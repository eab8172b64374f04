package dev.mdmgw.gateway.plist;

/**
 * Accepts only Apple's plist DOCTYPE. The parser never loads a DTD (SUPPORT_DTD is off), but it
 * still reads an internal subset, and any other DTD means the body was not written by a device,
 * so both are refused here, before a single element is read.
 */
final class AppleDoctype {
    static final String SYSTEM_ID = "http://www.apple.com/DTDs/PropertyList-1.0.dtd";
    private static final String PUBLIC_ID = "-//Apple//DTD PLIST 1.0//EN";
    /** What macOS before 10.5 wrote; still produced by some Apple tooling. */
    private static final String LEGACY_PUBLIC_ID = "-//Apple Computer//DTD PLIST 1.0//EN";
    private static final String CANONICAL =
            "<!DOCTYPE plist PUBLIC \"" + PUBLIC_ID + "\" \"" + SYSTEM_ID + "\">";

    private AppleDoctype() {
    }

    static void check(String declaration) throws BadMessageException {
        if (CANONICAL.equals(declaration)) {
            return;
        }
        Scanner s = new Scanner(declaration);
        s.expect("<!DOCTYPE");
        s.whitespace();
        s.expect("plist");
        s.whitespace();
        s.expect("PUBLIC");
        s.whitespace();
        String publicId = s.quoted();
        s.whitespace();
        String systemId = s.quoted();
        s.optionalWhitespace();
        s.expect(">");
        s.end();
        if (!(PUBLIC_ID.equals(publicId) || LEGACY_PUBLIC_ID.equals(publicId)) || !SYSTEM_ID.equals(systemId)) {
            throw refused();
        }
    }

    private static BadMessageException refused() {
        return new BadMessageException("DOCTYPE must be Apple's plist DTD ("
                + "PUBLIC \"" + PUBLIC_ID + "\" \"" + SYSTEM_ID + "\") with no internal subset");
    }

    private static final class Scanner {
        private final String text;
        private int pos;

        Scanner(String text) {
            this.text = text == null ? "" : text;
        }

        void expect(String token) throws BadMessageException {
            if (!text.startsWith(token, pos)) {
                throw refused();
            }
            pos += token.length();
        }

        void whitespace() throws BadMessageException {
            int start = pos;
            optionalWhitespace();
            if (pos == start) {
                throw refused();
            }
        }

        void optionalWhitespace() {
            while (pos < text.length() && isXmlSpace(text.charAt(pos))) {
                pos++;
            }
        }

        String quoted() throws BadMessageException {
            if (pos >= text.length() || (text.charAt(pos) != '"' && text.charAt(pos) != '\'')) {
                throw refused();
            }
            char quote = text.charAt(pos);
            int close = text.indexOf(quote, pos + 1);
            if (close < 0) {
                throw refused();
            }
            String literal = text.substring(pos + 1, close);
            pos = close + 1;
            return literal;
        }

        void end() throws BadMessageException {
            if (pos != text.length()) {
                throw refused();
            }
        }

        private static boolean isXmlSpace(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r';
        }
    }
}
