package dev.mdmgw.gateway.plist;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-assembles {@code bplist00} bodies object by object, for shapes no well-behaved writer
 * produces: cycles, shared subtrees, broken UTF-16, lying trailers.
 */
final class RawBplist {
    private final List<byte[]> objects = new ArrayList<>();
    private int refSize = 1;

    /** Forces the width of object references (and offsets), e.g. to reference a forward object. */
    RawBplist refSize(int bytes) {
        this.refSize = bytes;
        return this;
    }

    int ascii(String s) {
        return add(marker(0x50, s.length()), s.getBytes(StandardCharsets.US_ASCII));
    }

    /** UTF-16BE chars exactly as given, so unpaired surrogates survive. */
    int utf16(String s) {
        byte[] b = new byte[s.length() * 2];
        for (int i = 0; i < s.length(); i++) {
            b[2 * i] = (byte) (s.charAt(i) >> 8);
            b[2 * i + 1] = (byte) s.charAt(i);
        }
        return add(marker(0x60, s.length()), b);
    }

    int array(int... refs) {
        return add(marker(0xA0, refs.length), refBytes(refs));
    }

    int dict(int[] keys, int[] values) {
        return add(marker(0xD0, keys.length), refBytes(keys), refBytes(values));
    }

    /** Reserves an index whose bytes are supplied later, so objects can point forward (cycles). */
    int reserve() {
        objects.add(new byte[0]);
        return objects.size() - 1;
    }

    void setArray(int index, int... refs) {
        objects.set(index, concat(marker(0xA0, refs.length), refBytes(refs)));
    }

    int next() {
        return objects.size();
    }

    byte[] build(int top) {
        return build(top, objects.size());
    }

    /** {@code declaredObjects} goes into the trailer as is, so it may lie. */
    byte[] build(int top, long declaredObjects) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("bplist00".getBytes(StandardCharsets.US_ASCII));
        long[] offsets = new long[objects.size()];
        for (int i = 0; i < objects.size(); i++) {
            offsets[i] = out.size();
            out.writeBytes(objects.get(i));
        }
        long tableOffset = out.size();
        int offsetSize = tableOffset < 256 ? 1 : tableOffset < 65536 ? 2 : 4;
        for (long offset : offsets) {
            out.writeBytes(be(offset, offsetSize));
        }
        out.writeBytes(new byte[6]);
        out.write(offsetSize);
        out.write(refSize);
        out.writeBytes(be(declaredObjects, 8));
        out.writeBytes(be(top, 8));
        out.writeBytes(be(tableOffset, 8));
        return out.toByteArray();
    }

    private int add(byte[]... parts) {
        objects.add(concat(parts));
        return objects.size() - 1;
    }

    private byte[] refBytes(int[] refs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int ref : refs) {
            out.writeBytes(be(ref, refSize));
        }
        return out.toByteArray();
    }

    private static byte[] marker(int type, int count) {
        if (count < 15) {
            return new byte[] {(byte) (type | count)};
        }
        return concat(new byte[] {(byte) (type | 0x0F), 0x12}, be(count, 4));
    }

    private static byte[] be(long value, int size) {
        byte[] b = new byte[size];
        for (int i = size - 1; i >= 0; i--) {
            b[i] = (byte) value;
            value >>>= 8;
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
