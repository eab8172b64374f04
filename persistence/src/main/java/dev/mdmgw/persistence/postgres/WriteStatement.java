package dev.mdmgw.persistence.postgres;

import io.r2dbc.spi.Statement;
import java.util.List;
import java.util.function.Function;

/**
 * One kind of write as one SQL statement over any number of rows: every column travels as one
 * array parameter ({@link BinaryArray}) and the SQL unnests them, so a batch of 256 costs one round
 * trip and one plan.
 */
interface WriteStatement<W> {

    WriteKind kind();

    String sql();

    /** Writes with the same key collapse into one row. */
    String key(W write);

    long version(W write);

    void bind(Statement statement, List<CoalescedRow<W>> rows);

    static <W> BinaryArray texts(List<CoalescedRow<W>> rows, Function<CoalescedRow<W>, String> column) {
        String[] values = new String[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        return BinaryArray.texts(values);
    }

    static <W> BinaryArray byteas(List<CoalescedRow<W>> rows, Function<CoalescedRow<W>, byte[]> column) {
        byte[][] values = new byte[rows.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        return BinaryArray.byteas(values);
    }

    static <W> BinaryArray longs(List<CoalescedRow<W>> rows, Function<CoalescedRow<W>, Long> column) {
        Long[] values = new Long[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        return BinaryArray.int8s(values);
    }

    static <W> BinaryArray booleans(List<CoalescedRow<W>> rows, Function<CoalescedRow<W>, Boolean> column) {
        Boolean[] values = new Boolean[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        return BinaryArray.bools(values);
    }
}
