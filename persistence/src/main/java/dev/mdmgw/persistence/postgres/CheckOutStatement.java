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
 *
 * <p>A CheckOut for an enrollment not stored yet stores it as a disabled placeholder at its
 * version: a TokenUpdate sent before the CheckOut but stored after it then loses on {@code enabled}
 * (the version guard) while its count still counts. On the device channel only the device-channel
 * row gets one; the device's user channels we never stored are unknown.
 *
 * <p>Lock order: the first CTE locks every existing enrollment the statement may reach in ascending
 * id order, as a TokenUpdate batch does, and {@code c}, which everything else reads, waits for it;
 * the upsert then goes in the same order. Rows a concurrent statement inserts meanwhile cannot be
 * locked ahead; a deadlock over one of those is rare and the runner reruns it.
 */
final class CheckOutStatement implements WriteStatement<CheckOutWrite> {

    private static final String SQL = """
            WITH locked AS MATERIALIZED (
                SELECT e.id, e.device_id, e.type, e.organization_id FROM enrollments e
                WHERE e.id = ANY($1::text[])
                   OR e.device_id = ANY(ARRAY(SELECT x.device_id FROM unnest($2::text[], $3::bool[])
                        AS x(device_id, device_channel) WHERE x.device_channel))
                ORDER BY e.id COLLATE "C"
                FOR UPDATE
            ), c AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::bool[], $4::int8[], $5::text[], $6::text[],
                    $7::text[], $8::text[])
                    AS c(enrollment_id, device_id, device_channel, write_version, user_id, type, organization_id, topic)
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
            -- A row only reached through its device exists: its own values pass the NOT NULL and
            -- CHECK constraints, which PostgreSQL applies to the proposed row before the conflict.
            INSERT INTO enrollments AS e (id, device_id, user_id, type, organization_id, topic, enabled, write_version)
            SELECT t.id, coalesce(c.device_id, l.device_id), c.user_id, coalesce(c.type, l.type),
                coalesce(c.organization_id, l.organization_id), c.topic, false, t.write_version
            FROM target t
            LEFT JOIN c ON c.enrollment_id = t.id
            LEFT JOIN locked l ON l.id = t.id
            ORDER BY t.id COLLATE "C"
            ON CONFLICT (id) DO UPDATE SET
                enabled = false,
                write_version = EXCLUDED.write_version,
                updated_at = now()
            WHERE e.write_version < EXCLUDED.write_version
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
                .bind(3, longs(rows, CoalescedRow::newestVersion))
                .bind(4, texts(rows, r -> r.newest().userId()))
                .bind(5, texts(rows, r -> r.newest().type().code()))
                .bind(6, texts(rows, r -> r.newest().organizationId()))
                .bind(7, texts(rows, r -> r.newest().topic()));
    }
}
