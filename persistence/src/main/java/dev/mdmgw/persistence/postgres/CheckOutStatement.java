package dev.mdmgw.persistence.postgres;

import static dev.mdmgw.persistence.postgres.WriteStatement.booleans;
import static dev.mdmgw.persistence.postgres.WriteStatement.longs;
import static dev.mdmgw.persistence.postgres.WriteStatement.texts;

import dev.mdmgw.persistence.write.CheckOutWrite;
import io.r2dbc.spi.Statement;
import java.util.List;

/**
 * Disables the checked-out enrollments, unless a newer write (a re-enrollment's TokenUpdate)
 * already reached them. A device-channel CheckOut reaches all enrollments of the device; when one
 * enrollment is reached by several CheckOuts of the batch, the newest one's version is kept.
 * CheckOut for an enrollment we never stored writes nothing.
 *
 * <p>Lock order: the first CTE locks every existing enrollment the statement may reach in ascending
 * id order, as a TokenUpdate batch does, and {@code c}, which everything else reads, waits for it.
 * (The UPDATE's own order follows the join plan: a hash or the physical order.)
 */
final class CheckOutStatement implements WriteStatement<CheckOutWrite> {

    private static final String SQL = """
            WITH locked AS MATERIALIZED (
                SELECT e.id, e.device_id FROM enrollments e
                WHERE e.id = ANY($1::text[])
                   OR e.device_id = ANY(ARRAY(SELECT x.device_id FROM unnest($2::text[], $3::bool[])
                        AS x(device_id, device_channel) WHERE x.device_channel))
                ORDER BY e.id COLLATE "C"
                FOR UPDATE
            ), c AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::bool[], $4::int8[])
                    AS c(enrollment_id, device_id, device_channel, write_version)
                WHERE (SELECT count(*) FROM locked) >= 0 -- all of locked is locked before any row of c is read
            ), target AS (
                SELECT id, max(write_version) AS write_version FROM (
                    SELECT c.enrollment_id AS id, c.write_version FROM c
                    UNION ALL
                    SELECT l.id, c.write_version FROM c JOIN locked l ON l.device_id = c.device_id
                    WHERE c.device_channel
                ) reached
                GROUP BY id
            )
            UPDATE enrollments AS e SET
                enabled = false,
                write_version = t.write_version,
                updated_at = now()
            FROM target t
            WHERE e.id = t.id AND e.write_version < t.write_version
            """;

    @Override
    public WriteKind kind() {
        return WriteKind.CHECK_OUT;
    }

    @Override
    public String sql() {
        return SQL;
    }

    @Override
    public String key(CheckOutWrite write) {
        return write.enrollmentId();
    }

    @Override
    public long version(CheckOutWrite write) {
        return write.version();
    }

    @Override
    public void bind(Statement statement, List<CoalescedRow<CheckOutWrite>> rows) {
        statement
                .bind(0, texts(rows, r -> r.key))
                .bind(1, texts(rows, r -> r.newest().deviceId()))
                .bind(2, booleans(rows, r -> r.newest().deviceChannel()))
                .bind(3, longs(rows, CoalescedRow::newestVersion));
    }
}
