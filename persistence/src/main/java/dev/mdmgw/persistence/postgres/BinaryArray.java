package dev.mdmgw.persistence.postgres;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.Locale;

/**
 * A one-dimensional array parameter in PostgreSQL's binary array format ({@code array_recv}), the
 * form a batch's columns travel in. r2dbc-postgresql 1.1 sends a {@code String[]} as an array
 * literal it builds and escapes in a {@code StringBuilder}, which PostgreSQL then parses again:
 * ~5% of the gateway's CPU and part of PostgreSQL's per row at the maximum (BENCHMARKS.md). Here
 * each element is its length and its bytes, written straight into the outgoing buffer; binary
 * columns go as bytes, not base64. {@link BinaryArrayCodec} hands it to the driver.
 */
final class BinaryArray {
    /** The element types the statements use: their OIDs and their arrays' (pg_type). */
    enum Element {
        BOOL(16, 1000), BYTEA(17, 1001), INT8(20, 1016), TEXT(25, 1009);

        final int oid;
        final int arrayOid;

        Element(int oid, int arrayOid) {
            this.oid = oid;
            this.arrayOid = arrayOid;
        }
    }

    private final Element element;
    /** String, byte[], Long or Boolean as {@link #element} says; null is SQL NULL. */
    private final Object[] values;

    private BinaryArray(Element element, Object[] values) {
        this.element = element;
        this.values = values;
    }

    static BinaryArray texts(String[] values) {
        return new BinaryArray(Element.TEXT, values);
    }

    static BinaryArray byteas(byte[][] values) {
        return new BinaryArray(Element.BYTEA, values);
    }

    static BinaryArray int8s(Long[] values) {
        return new BinaryArray(Element.INT8, values);
    }

    static BinaryArray bools(Boolean[] values) {
        return new BinaryArray(Element.BOOL, values);
    }

    Element element() {
        return element;
    }

    /** The array as {@code array_send} would write it; the caller owns (and releases) the buffer. */
    ByteBuf encode(ByteBufAllocator allocator) {
        ByteBuf out = allocator.buffer(20 + values.length * 24);
        try {
            boolean nulls = false;
            for (Object v : values) {
                nulls |= v == null;
            }
            if (values.length == 0) {
                // No dimensions: PostgreSQL's empty array.
                out.writeInt(0).writeInt(0).writeInt(element.oid);
                return out;
            }
            out.writeInt(1).writeInt(nulls ? 1 : 0).writeInt(element.oid);
            out.writeInt(values.length).writeInt(1); // the one dimension: its length, its lower bound
            for (Object v : values) {
                writeElement(out, v);
            }
            return out;
        } catch (RuntimeException | Error e) {
            out.release();
            throw e;
        }
    }

    private void writeElement(ByteBuf out, Object v) {
        if (v == null) {
            out.writeInt(-1);
            return;
        }
        switch (element) {
            case TEXT -> {
                int at = out.writerIndex();
                out.writeInt(0);
                int length = ByteBufUtil.writeUtf8(out, (String) v);
                out.setInt(at, length);
            }
            case BYTEA -> {
                byte[] bytes = (byte[]) v;
                out.writeInt(bytes.length).writeBytes(bytes);
            }
            case INT8 -> out.writeInt(8).writeLong((Long) v);
            case BOOL -> out.writeInt(1).writeByte((Boolean) v ? 1 : 0);
        }
    }

    @Override
    public String toString() {
        return element.name().toLowerCase(Locale.ROOT) + "[" + values.length + "]";
    }
}
