package dev.mdmgw.persistence.postgres;

import static dev.mdmgw.persistence.postgres.WriteStatement.byteas;
import static dev.mdmgw.persistence.postgres.WriteStatement.longs;
import static dev.mdmgw.persistence.postgres.WriteStatement.texts;

import dev.mdmgw.persistence.write.AuthenticateWrite;
import io.r2dbc.spi.Statement;
import java.util.List;
import java.util.function.Function;

/**
 * Records the device's facts and resets its enrollments, in one statement: the device row, the
 * device-channel enrollment (created disabled when new), and every other enrollment of the device.
 * Whatever is older than the Authenticate is disabled and loses its UnlockToken; the device loses
 * its bootstrap token. A TokenUpdate newer than the Authenticate is left alone, so the order in
 * which the two commit does not matter.
 *
 * <p>A fact the device did not report (null) keeps the stored value: "unknown" is not "none".
 *
 * <p>Lock order: PostgreSQL runs the unreferenced data-modifying CTEs after the main UPDATE, so
 * left alone this statement would lock user enrollments before the device-channel one, the reverse
 * of a TokenUpdate batch (ascending id) and a deadlock with it. The first CTE therefore locks every
 * existing enrollment of the batch's devices in ascending id order, and {@code a}, which everything
 * else reads, waits for it. Rows a concurrent statement inserts meanwhile cannot be locked ahead;
 * a deadlock over one of those is rare and the runner reruns it.
 */
final class AuthenticateStatement implements WriteStatement<AuthenticateWrite> {

    private static final String NEWER_DEVICE = "d.write_version < EXCLUDED.write_version";
    private static final String NEWER_ENROLLMENT = "e.write_version < EXCLUDED.write_version";

    private static final String SQL = """
            WITH locked AS MATERIALIZED (
                SELECT e.id FROM enrollments e
                WHERE e.id = ANY($1::text[]) OR e.device_id = ANY($1::text[])
                ORDER BY e.id COLLATE "C"
                FOR UPDATE
            ), a AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                    $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],
                    $14::bytea[], $15::int8[])
                    AS a(id, organization_id, type, topic, serial_number, model, model_name, product_name,
                        device_name, os_version, build_version, imei, meid, identity_certificate, write_version)
                WHERE (SELECT count(*) FROM locked) >= 0 -- all of locked is locked before any row of a is read
            ), device AS (
                INSERT INTO devices AS d (id, organization_id, topic, serial_number, model, model_name, product_name,
                    device_name, os_version, build_version, imei, meid, identity_certificate, authenticated_at,
                    write_version)
                SELECT id, organization_id, topic, serial_number, model, model_name, product_name, device_name,
                    os_version, build_version, imei, meid, identity_certificate, now(), write_version
                FROM a
                ON CONFLICT (id) DO UPDATE SET
                    organization_id = CASE WHEN %1$s THEN EXCLUDED.organization_id ELSE d.organization_id END,
                    %3$s,
                    bootstrap_token = CASE WHEN d.bootstrap_version < EXCLUDED.write_version THEN NULL ELSE d.bootstrap_token END,
                    bootstrap_key_id = CASE WHEN d.bootstrap_version < EXCLUDED.write_version THEN NULL ELSE d.bootstrap_key_id END,
                    bootstrap_version = greatest(d.bootstrap_version, EXCLUDED.write_version),
                    authenticated_at = CASE WHEN %1$s THEN now() ELSE d.authenticated_at END,
                    write_version = greatest(d.write_version, EXCLUDED.write_version),
                    updated_at = now()
            ), channel AS (
                INSERT INTO enrollments AS e (id, device_id, type, organization_id, topic, enabled,
                    unlock_version, enrolled_at, write_version)
                SELECT id, id, type, organization_id, topic, false, write_version, now(), write_version
                FROM a
                ORDER BY id COLLATE "C"
                ON CONFLICT (id) DO UPDATE SET
                    type = CASE WHEN %2$s THEN EXCLUDED.type ELSE e.type END,
                    organization_id = CASE WHEN %2$s THEN EXCLUDED.organization_id ELSE e.organization_id END,
                    topic = CASE WHEN %2$s THEN coalesce(EXCLUDED.topic, e.topic) ELSE e.topic END,
                    enabled = CASE WHEN %2$s THEN false ELSE e.enabled END,
                    enrolled_at = CASE WHEN %2$s THEN now() ELSE e.enrolled_at END,
                    unlock_token = CASE WHEN e.unlock_version < EXCLUDED.write_version THEN NULL ELSE e.unlock_token END,
                    unlock_version = greatest(e.unlock_version, EXCLUDED.write_version),
                    write_version = greatest(e.write_version, EXCLUDED.write_version),
                    updated_at = now()
            )
            UPDATE enrollments AS e SET
                enabled = CASE WHEN e.write_version < a.write_version THEN false ELSE e.enabled END,
                enrolled_at = CASE WHEN e.write_version < a.write_version THEN now() ELSE e.enrolled_at END,
                unlock_token = CASE WHEN e.unlock_version < a.write_version THEN NULL ELSE e.unlock_token END,
                unlock_version = greatest(e.unlock_version, a.write_version),
                write_version = greatest(e.write_version, a.write_version),
                updated_at = now()
            FROM a
            WHERE e.device_id = a.id AND e.id <> a.id
              AND (e.write_version < a.write_version OR e.unlock_version < a.write_version)
            """.formatted(NEWER_DEVICE, NEWER_ENROLLMENT, deviceFacts());

    private static String deviceFacts() {
        StringBuilder b = new StringBuilder();
        for (String column : List.of("topic", "serial_number", "model", "model_name", "product_name", "device_name",
                "os_version", "build_version", "imei", "meid", "identity_certificate")) {
            if (b.length() > 0) {
                b.append(",\n        ");
            }
            b.append(column).append(" = CASE WHEN ").append(NEWER_DEVICE)
                    .append(" THEN coalesce(EXCLUDED.").append(column).append(", d.").append(column)
                    .append(") ELSE d.").append(column).append(" END");
        }
        return b.toString();
    }

    @Override
    public WriteKind kind() {
        return WriteKind.AUTHENTICATE;
    }

    @Override
    public String sql() {
        return SQL;
    }

    @Override
    public String key(AuthenticateWrite write) {
        return write.deviceId();
    }

    @Override
    public long version(AuthenticateWrite write) {
        return write.version();
    }

    @Override
    public void bind(Statement statement, List<CoalescedRow<AuthenticateWrite>> rows) {
        statement
                .bind(0, texts(rows, r -> r.key))
                .bind(1, texts(rows, r -> r.newest().organizationId()))
                .bind(2, texts(rows, r -> r.newest().type().code()))
                .bind(3, texts(rows, r -> newestKnown(r, AuthenticateWrite::topic)))
                .bind(4, texts(rows, r -> newestKnown(r, AuthenticateWrite::serialNumber)))
                .bind(5, texts(rows, r -> newestKnown(r, AuthenticateWrite::model)))
                .bind(6, texts(rows, r -> newestKnown(r, AuthenticateWrite::modelName)))
                .bind(7, texts(rows, r -> newestKnown(r, AuthenticateWrite::productName)))
                .bind(8, texts(rows, r -> newestKnown(r, AuthenticateWrite::deviceName)))
                .bind(9, texts(rows, r -> newestKnown(r, AuthenticateWrite::osVersion)))
                .bind(10, texts(rows, r -> newestKnown(r, AuthenticateWrite::buildVersion)))
                .bind(11, texts(rows, r -> newestKnown(r, AuthenticateWrite::imei)))
                .bind(12, texts(rows, r -> newestKnown(r, AuthenticateWrite::meid)))
                .bind(13, byteas(rows, r -> newestKnown(r, AuthenticateWrite::identityCertificate)))
                .bind(14, longs(rows, CoalescedRow::newestVersion));
    }

    /** Within a batch as across batches: the newest reported value of a fact wins. */
    private static <T> T newestKnown(CoalescedRow<AuthenticateWrite> row, Function<AuthenticateWrite, T> fact) {
        T newest = fact.apply(row.newest());
        if (newest != null || row.size() == 1) {
            return newest;
        }
        for (AuthenticateWrite w : row.newestFirst()) {
            T value = fact.apply(w);
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
