package dev.mdmgw.persistence.postgres;

import static dev.mdmgw.persistence.postgres.WriteStatement.booleans;
import static dev.mdmgw.persistence.postgres.WriteStatement.byteas;
import static dev.mdmgw.persistence.postgres.WriteStatement.longs;
import static dev.mdmgw.persistence.postgres.WriteStatement.texts;

import dev.mdmgw.persistence.write.TokenUpdateWrite;
import io.r2dbc.spi.Statement;
import java.util.List;

/**
 * Upserts enrollments. The push data is last-write-wins by version, also against rows written by
 * earlier batches or other gateways; the count always grows by every acknowledged TokenUpdate.
 *
 * <p>Rows are written, and so locked, in ascending id order ({@code COLLATE "C"}), the order the
 * Authenticate and CheckOut statements lock in too: batches sharing rows wait, never deadlock.
 *
 * <p>A TokenUpdate older than the device's last Authenticate ({@code devices.write_version}) is
 * superseded: the Authenticate reset every enrollment of the device, so the TokenUpdate neither
 * enables the enrollment nor stores its UnlockToken, whether it inserts the row (a user channel
 * first seen after the Authenticate) or updates it. Its push data still counts as the row's newest
 * when newer than the row, and its count still counts. The flag travels in the proposed row's
 * {@code enabled} and {@code unlock_token}, which is all ON CONFLICT DO UPDATE can see.
 *
 * <p>Remaining race: the device row is read from this statement's snapshot. An Authenticate whose
 * statement runs concurrently and commits after that snapshot is not seen here; if this statement
 * inserts the row, the Authenticate (whose own snapshot predates the insert) does not see the row
 * either, and the row stays enabled although the Authenticate is newer. Closing it would need the
 * device row locked (FOR SHARE) ahead of the enrollments, in every statement.
 */
final class TokenUpdateStatement implements WriteStatement<TokenUpdateWrite> {

    private static final String NEWER = "e.write_version < EXCLUDED.write_version";
    /** The device authenticated after this TokenUpdate was received (false when no device row). */
    private static final String SUPERSEDED = "coalesce(d.write_version > u.write_version, false)";
    private static final String NEWER_UNLOCK = "EXCLUDED.unlock_token IS NOT NULL AND EXCLUDED.unlock_version > e.unlock_version";

    private static final String SQL = """
            INSERT INTO enrollments AS e (id, device_id, user_id, type, organization_id, topic, push_magic, token,
                unlock_token, unlock_version, user_short_name, user_long_name, awaiting_configuration, enabled,
                token_update_count, last_seen_at, enrolled_at, write_version)
            SELECT u.id, u.device_id, u.user_id, u.type, u.organization_id, u.topic, u.push_magic,
                u.token,
                CASE WHEN %3$s THEN NULL ELSE u.unlock_token END,
                CASE WHEN %3$s THEN greatest(u.unlock_version, d.write_version) ELSE u.unlock_version END,
                u.user_short_name, u.user_long_name, u.awaiting_configuration,
                NOT %3$s,
                u.token_update_count, now(), now(), u.write_version
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                $8::bytea[], $9::bytea[], $10::int8[], $11::text[], $12::text[], $13::bool[], $14::int8[], $15::int8[])
                AS u(id, device_id, user_id, type, organization_id, topic, push_magic, token, unlock_token,
                    unlock_version, user_short_name, user_long_name, awaiting_configuration, token_update_count,
                    write_version)
            LEFT JOIN devices d ON d.id = u.device_id
            ORDER BY u.id COLLATE "C"
            ON CONFLICT (id) DO UPDATE SET
                type = CASE WHEN %1$s THEN EXCLUDED.type ELSE e.type END,
                organization_id = CASE WHEN %1$s THEN EXCLUDED.organization_id ELSE e.organization_id END,
                topic = CASE WHEN %1$s THEN EXCLUDED.topic ELSE e.topic END,
                push_magic = CASE WHEN %1$s THEN EXCLUDED.push_magic ELSE e.push_magic END,
                token = CASE WHEN %1$s THEN EXCLUDED.token ELSE e.token END,
                user_short_name = CASE WHEN %1$s THEN EXCLUDED.user_short_name ELSE e.user_short_name END,
                user_long_name = CASE WHEN %1$s THEN EXCLUDED.user_long_name ELSE e.user_long_name END,
                awaiting_configuration = CASE WHEN %1$s THEN EXCLUDED.awaiting_configuration ELSE e.awaiting_configuration END,
                enabled = CASE WHEN %1$s THEN EXCLUDED.enabled ELSE e.enabled END,
                unlock_token = CASE WHEN %2$s THEN EXCLUDED.unlock_token ELSE e.unlock_token END,
                unlock_version = CASE WHEN %2$s THEN EXCLUDED.unlock_version ELSE e.unlock_version END,
                token_update_count = e.token_update_count + EXCLUDED.token_update_count,
                last_seen_at = greatest(e.last_seen_at, now()),
                write_version = greatest(e.write_version, EXCLUDED.write_version),
                updated_at = now()
            """.formatted(NEWER, NEWER_UNLOCK, SUPERSEDED);

    @Override
    public WriteKind kind() {
        return WriteKind.TOKEN_UPDATE;
    }

    @Override
    public String sql() {
        return SQL;
    }

    @Override
    public String key(TokenUpdateWrite write) {
        return write.enrollmentId();
    }

    @Override
    public long version(TokenUpdateWrite write) {
        return write.version();
    }

    @Override
    public void bind(Statement statement, List<CoalescedRow<TokenUpdateWrite>> rows) {
        TokenUpdateWrite[] unlocks = new TokenUpdateWrite[rows.size()];
        for (int i = 0; i < unlocks.length; i++) {
            unlocks[i] = newestUnlock(rows.get(i));
        }
        Long[] unlockVersions = new Long[rows.size()];
        byte[][] unlockTokens = new byte[rows.size()][];
        for (int i = 0; i < unlocks.length; i++) {
            unlockTokens[i] = unlocks[i] == null ? null : unlocks[i].unlockToken();
            unlockVersions[i] = unlocks[i] == null ? 0L : unlocks[i].version();
        }
        statement
                .bind(0, texts(rows, r -> r.newest().enrollmentId()))
                .bind(1, texts(rows, r -> r.newest().deviceId()))
                .bind(2, texts(rows, r -> r.newest().userId()))
                .bind(3, texts(rows, r -> r.newest().type().code()))
                .bind(4, texts(rows, r -> r.newest().organizationId()))
                .bind(5, texts(rows, r -> r.newest().topic()))
                .bind(6, texts(rows, r -> r.newest().pushMagic()))
                .bind(7, byteas(rows, r -> r.newest().token()))
                .bind(8, BinaryArray.byteas(unlockTokens))
                .bind(9, BinaryArray.int8s(unlockVersions))
                .bind(10, texts(rows, r -> r.newest().userShortName()))
                .bind(11, texts(rows, r -> r.newest().userLongName()))
                .bind(12, booleans(rows, r -> r.newest().awaitingConfiguration()))
                .bind(13, longs(rows, r -> (long) r.size()))
                .bind(14, longs(rows, CoalescedRow::newestVersion));
    }

    /** An absent UnlockToken means "unchanged", so the newest write that carried one decides. */
    private static TokenUpdateWrite newestUnlock(CoalescedRow<TokenUpdateWrite> row) {
        if (row.size() == 1) {
            return row.newest().unlockToken() == null ? null : row.newest();
        }
        for (TokenUpdateWrite w : row.newestFirst()) {
            if (w.unlockToken() != null) {
                return w;
            }
        }
        return null;
    }
}
