package dev.mdmgw.persistence.postgres;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.r2dbc.postgresql.client.EncodedParameter;
import io.r2dbc.postgresql.codec.Codec;
import io.r2dbc.postgresql.extension.CodecRegistrar;
import io.r2dbc.postgresql.message.Format;
import reactor.core.publisher.Mono;

/**
 * Teaches r2dbc-postgresql to bind a {@link BinaryArray}: in binary format, typed as its array
 * type. Encode only: the statements never read one back.
 */
public final class BinaryArrayCodec implements Codec<BinaryArray> {
    private final ByteBufAllocator allocator;

    private BinaryArrayCodec(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    /** Registers the codec on every connection; ahead of the driver's own, so it is found first. */
    public static CodecRegistrar registrar() {
        return (connection, allocator, registry) -> {
            registry.addFirst(new BinaryArrayCodec(allocator));
            return Mono.empty();
        };
    }

    @Override
    public boolean canDecode(int dataType, Format format, Class<?> type) {
        return false;
    }

    @Override
    public boolean canEncode(Object value) {
        return value instanceof BinaryArray;
    }

    @Override
    public boolean canEncodeNull(Class<?> type) {
        return false;
    }

    @Override
    public BinaryArray decode(ByteBuf buffer, int dataType, Format format, Class<? extends BinaryArray> type) {
        throw new UnsupportedOperationException("BinaryArray is a parameter type only");
    }

    @Override
    public EncodedParameter encode(Object value) {
        BinaryArray array = (BinaryArray) value;
        // Encoded when the driver writes the Bind message, into a buffer it releases once sent.
        return new EncodedParameter(Format.FORMAT_BINARY, array.element().arrayOid,
                Mono.fromSupplier(() -> array.encode(allocator)));
    }

    @Override
    public EncodedParameter encode(Object value, int dataType) {
        return encode(value);
    }

    @Override
    public EncodedParameter encodeNull() {
        throw new UnsupportedOperationException("a batch binds an array, never a NULL array");
    }
}
