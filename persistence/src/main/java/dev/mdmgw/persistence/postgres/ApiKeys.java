package dev.mdmgw.persistence.postgres;

import static dev.mdmgw.persistence.postgres.Pooled.rows;
import static dev.mdmgw.persistence.postgres.Pooled.rowsUpdated;

import dev.mdmgw.persistence.org.ApiKey;
import dev.mdmgw.persistence.org.StoredApiKey;
import dev.mdmgw.persistence.read.Page;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Organizations' API keys. Every admin request reads its key here, by primary key: no cache, so a
 * revocation holds at once on every gateway.
 */
final class ApiKeys {
    private static final String COLUMNS = "k.id, k.organization_id, k.name, k.permissions, k.created_at";
    private static final String CREATE = """
            INSERT INTO api_keys AS k (id, organization_id, name, permissions, secret_sha256)
            VALUES ($1, $2, $3, $4::text[], $5) RETURNING\s""" + COLUMNS;
    private static final String FIND = "SELECT " + COLUMNS + ", k.secret_sha256 FROM api_keys k "
            + "WHERE k.id = $1 AND k.revoked_at IS NULL";
    private static final String LIST = "SELECT " + COLUMNS + " FROM api_keys k "
            + "WHERE k.organization_id = $1 AND k.revoked_at IS NULL ORDER BY k.created_at, k.id LIMIT $2 OFFSET $3";
    private static final String COUNT = "SELECT count(*) AS total FROM api_keys k "
            + "WHERE k.organization_id = $1 AND k.revoked_at IS NULL";
    private static final String REVOKE = "UPDATE api_keys SET revoked_at = now() "
            + "WHERE organization_id = $1 AND id = $2 AND revoked_at IS NULL";

    private final ConnectionFactory pool;

    ApiKeys(ConnectionFactory pool) {
        this.pool = pool;
    }

    Mono<ApiKey> create(String id, String organizationId, String name, List<String> permissions, byte[] secretSha256) {
        return Pooled.withConnection(pool, c -> rows(c.createStatement(CREATE).bind(0, id).bind(1, organizationId)
                .bind(2, name).bind(3, permissions.toArray(String[]::new)).bind(4, secretSha256), ApiKeys::key)).single();
    }

    Mono<StoredApiKey> find(String id) {
        return Pooled.withConnection(pool, c -> rows(c.createStatement(FIND).bind(0, id),
                row -> new StoredApiKey(key(row), row.get("secret_sha256", byte[].class)))).next();
    }

    Mono<Page<ApiKey>> list(String organizationId, int page, int limit) {
        return Pooled.page(pool, page, limit,
                c -> rows(c.createStatement(LIST).bind(0, organizationId).bind(1, (long) limit)
                        .bind(2, Pooled.offset(page, limit)), ApiKeys::key),
                c -> c.createStatement(COUNT).bind(0, organizationId));
    }

    Mono<Boolean> revoke(String organizationId, String id) {
        return Pooled.withConnection(pool, c -> rowsUpdated(c.createStatement(REVOKE).bind(0, organizationId).bind(1, id)))
                .reduce(0L, Long::sum).map(n -> n > 0);
    }

    private static ApiKey key(Readable row) {
        return new ApiKey(row.get("id", String.class), row.get("organization_id", String.class),
                row.get("name", String.class), Arrays.asList(row.get("permissions", String[].class)),
                row.get("created_at", Instant.class));
    }
}
