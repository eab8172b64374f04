package dev.mdmgw.gateway.plist;

import java.io.CharArrayReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns body bytes into characters before the XML parser sees them, so the charset rules are ours
 * whatever parser reads the characters: devices send UTF-8; UTF-16 is recognised by its BOM or
 * first bytes; a malformed byte sequence is a 400 naming the charset. (The JDK's parser also
 * printed "[Fatal Error]" to stderr for each one, which a hostile client could use to flood logs.)
 */
final class XmlCharset {
    private XmlCharset() {
    }

    static Reader reader(byte[] body) throws BadMessageException {
        int skip = 0;
        Charset charset = StandardCharsets.UTF_8;
        if (startsWith(body, 0xEF, 0xBB, 0xBF)) {
            skip = 3;
        } else if (startsWith(body, 0xFE, 0xFF)) {
            charset = StandardCharsets.UTF_16BE;
            skip = 2;
        } else if (startsWith(body, 0xFF, 0xFE)) {
            charset = StandardCharsets.UTF_16LE;
            skip = 2;
        } else if (startsWith(body, 0x00, '<', 0x00, '?')) {
            charset = StandardCharsets.UTF_16BE;
        } else if (startsWith(body, '<', 0x00, '?', 0x00)) {
            charset = StandardCharsets.UTF_16LE;
        }
        try {
            CharBuffer chars = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body, skip, body.length - skip));
            return new CharArrayReader(chars.array(), chars.arrayOffset() + chars.position(), chars.remaining());
        } catch (CharacterCodingException e) {
            throw new BadMessageException("malformed XML: body is not valid " + charset.name(), e);
        }
    }

    private static boolean startsWith(byte[] body, int... prefix) {
        if (body.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((body[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
