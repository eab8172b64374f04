package dev.mdmgw.persistence.postgres;

import io.r2dbc.spi.Statement;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * One kind of write as one SQL statement over any number of rows: every column travels as one
 * array parameter and the SQL unnests them, so a batch of 256 costs one round trip and one plan.
 */
interface WriteStatement<W> {

    WriteKind kind();

    String sql();

    /** Writes with the same key collapse into one row. */
    String key(W write);

    long version(W write);

    void bind(Statement statement, List<CoalescedRow<W>> rows);

    static <W> String[] texts(List<CoalescedRow<W>> rows, Function<CoalescedRow<W>, String> column) {
        String[] values = new String[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        return values;
    }

    /**
     * Binary columns travel base64 in a {@code text[]} and the SQL decodes them: r2dbc-postgresql
     * 1.1 writes a {@code byte[][]} parameter as an array literal whose elements lose their
     * {@code \x} escape, so PostgreSQL would store the hex text instead of the bytes.
     */
    static <W> String[] base64(List<CoalescedRow<W>> rows, Function<CoalescedRow<W>, byte[]> column) {
        Base64.Encoder encoder = Base64.getEncoder();
        String[] values = new String[rows.size()];
        for (int i = 0; i < values.length; i++) {
            byte[] value = column.apply(rows.get(i));
            values[i] = value == null ? null : encoder.encodeToString(value);
        }
        return values;
    }

    static <W> Long[] longs(List<CoalescedRow<W>> rows, Function<CoalescedRow<W>, Long> column) {
        Long[] values = new Long[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        return values;
    }

    static <W> Boolean[] booleans(List<CoalescedRow<W>> rows, Function<CoalescedRow<W>, Boolean> column) {
        Boolean[] values = new Boolean[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        return values;
    }
}
