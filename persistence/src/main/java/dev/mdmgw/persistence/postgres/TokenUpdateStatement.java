package dev.mdmgw.persistence.postgres;

import static dev.mdmgw.persistence.postgres.WriteStatement.booleans;
import static dev.mdmgw.persistence.postgres.WriteStatement.base64;
import static dev.mdmgw.persistence.postgres.WriteStatement.longs;
import static dev.mdmgw.persistence.postgres.WriteStatement.texts;

import dev.mdmgw.persistence.write.TokenUpdateWrite;
import io.r2dbc.spi.Statement;
import java.util.Base64;
import java.util.List;

/**
 * Upserts enrollments. The push data is last-write-wins by version, also against rows written by
 * earlier batches or other gateways; the count always grows by every acknowledged TokenUpdate.
 *
 * <p>Rows are written, and so locked, in ascending id order ({@code COLLATE "C"}), the order the
 * Authenticate and CheckOut statements lock in too: batches sharing rows wait, never deadlock.
 */
final class TokenUpdateStatement implements WriteStatement<TokenUpdateWrite> {

    private static final String NEWER = "e.write_version < EXCLUDED.write_version";
    private static final String NEWER_UNLOCK = "EXCLUDED.unlock_token IS NOT NULL AND EXCLUDED.unlock_version > e.unlock_version";

    private static final String SQL = """
            INSERT INTO enrollments AS e (id, device_id, user_id, type, organization_id, topic, push_magic, token,
                unlock_token, unlock_version, user_short_name, user_long_name, awaiting_configuration, enabled,
                token_update_count, last_seen_at, enrolled_at, write_version)
            SELECT u.id, u.device_id, u.user_id, u.type, u.organization_id, u.topic, u.push_magic,
                decode(u.token, 'base64'), decode(u.unlock_token, 'base64'), u.unlock_version, u.user_short_name, u.user_long_name, u.awaiting_configuration, true,
                u.token_update_count, now(), now(), u.write_version
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                $8::text[], $9::text[], $10::int8[], $11::text[], $12::text[], $13::bool[], $14::int8[], $15::int8[])
                AS u(id, device_id, user_id, type, organization_id, topic, push_magic, token, unlock_token,
                    unlock_version, user_short_name, user_long_name, awaiting_configuration, token_update_count,
                    write_version)
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
                enabled = CASE WHEN %1$s THEN true ELSE e.enabled END,
                unlock_token = CASE WHEN %2$s THEN EXCLUDED.unlock_token ELSE e.unlock_token END,
                unlock_version = CASE WHEN %2$s THEN EXCLUDED.unlock_version ELSE e.unlock_version END,
                token_update_count = e.token_update_count + EXCLUDED.token_update_count,
                last_seen_at = greatest(e.last_seen_at, now()),
                write_version = greatest(e.write_version, EXCLUDED.write_version),
                updated_at = now()
            """.formatted(NEWER, NEWER_UNLOCK);

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
        String[] unlockTokens = new String[rows.size()];
        Base64.Encoder encoder = Base64.getEncoder();
        for (int i = 0; i < unlocks.length; i++) {
            unlockTokens[i] = unlocks[i] == null ? null : encoder.encodeToString(unlocks[i].unlockToken());
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
                .bind(7, base64(rows, r -> r.newest().token()))
                .bind(8, unlockTokens)
                .bind(9, unlockVersions)
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
