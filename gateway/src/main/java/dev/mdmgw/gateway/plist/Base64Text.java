package dev.mdmgw.gateway.plist;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

/**
 * {@code <data>} text, already stripped of whitespace, decoded with the JDK's (intrinsified)
 * decoder. Only the standard alphabet with padding is accepted, which is what Apple writes.
 */
final class Base64Text {
    private Base64Text() {
    }

    /** Upper bound of the decoded size of {@code len} base64 characters. */
    static long maxDecodedLength(int len) {
        return (len / 4L) * 3L;
    }

    /** The decoded bytes, or null when {@code ascii[0..len)} is not valid padded base64. */
    static byte[] decode(byte[] ascii, int len) {
        if (len % 4 != 0) {
            return null;
        }
        try {
            ByteBuffer out = Base64.getDecoder().decode(ByteBuffer.wrap(ascii, 0, len));
            byte[] array = out.array();
            return out.arrayOffset() == 0 && out.remaining() == array.length
                    ? array
                    : Arrays.copyOfRange(array, out.arrayOffset() + out.position(), out.arrayOffset() + out.limit());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
