package dev.mdmgw.persistence.postgres;

import dev.mdmgw.persistence.read.SealedBootstrapToken;
import dev.mdmgw.persistence.read.StoredBootstrapToken;
import dev.mdmgw.persistence.write.BootstrapTokenWrite;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Bootstrap-token escrow, one statement per request straight through the pool: a Mac escrows its
 * token once per enrollment, so there is nothing to batch. A device row the gateway never saw
 * authenticate (a migrated fleet) is created as a placeholder at version 0, so the escrow is never
 * acknowledged without being stored.
 */
final class BootstrapTokens {

    private static final String SET = """
            INSERT INTO devices AS d (id, organization_id, bootstrap_token, bootstrap_key_id, bootstrap_version,
                write_version)
            VALUES ($1, $2, $3, $4, $5, 0)
            ON CONFLICT (id) DO UPDATE SET
                bootstrap_token = EXCLUDED.bootstrap_token,
                bootstrap_key_id = EXCLUDED.bootstrap_key_id,
                bootstrap_version = EXCLUDED.bootstrap_version,
                updated_at = now()
            WHERE d.bootstrap_version < EXCLUDED.bootstrap_version
            """;

    /*
     * By id alone, the token's presence checked by the caller: "AND bootstrap_token IS NOT NULL"
     * would let the planner use devices_bootstrap_key_id_idx (WHERE bootstrap_token IS NOT NULL)
     * and filter it by id, which it does when the statistics predate an escrow wave (the index
     * looked empty): every read then scanned every escrowed token (150 reads/s at 10k devices
     * where the primary key gives thousands; BENCHMARKS.md, 2026-11-24).
     */
    static final String FIND = """
            SELECT bootstrap_key_id, bootstrap_token FROM devices WHERE id = $1
            """;

    private static final String NOT_SEALED_WITH = """
            SELECT id, bootstrap_key_id, bootstrap_token FROM devices
            WHERE bootstrap_token IS NOT NULL AND bootstrap_key_id <> $1 AND id > $3 COLLATE "C"
            ORDER BY id COLLATE "C"
            LIMIT $2
            """;

    private static final String COUNT_NOT_SEALED_WITH = """
            SELECT count(*) AS n FROM devices WHERE bootstrap_token IS NOT NULL AND bootstrap_key_id <> $1
            """;

    // Only if the row still holds what was read: a SetBootstrapToken or Authenticate meanwhile wins.
    // IS NOT DISTINCT FROM ($2 is never null), not "=": a strict "=" implies the partial index's
    // predicate, which would let the planner scan that index instead of the primary key (see FIND).
    static final String RESEAL = """
            UPDATE devices SET bootstrap_token = $3, bootstrap_key_id = $4, updated_at = now()
            WHERE id = $1 AND bootstrap_token IS NOT DISTINCT FROM $2
            """;

    private final ConnectionFactory pool;

    BootstrapTokens(ConnectionFactory pool) {
        this.pool = pool;
    }

    /** Completes once committed, or once a newer escrow or Authenticate made this one moot. */
    Mono<Void> set(BootstrapTokenWrite w) {
        return withConnection(c -> {
            Statement s = c.createStatement(SET).bind(0, w.deviceId()).bind(1, w.organizationId());
            if (w.sealedToken() == null) {
                s.bindNull(2, ByteBuffer.class).bindNull(3, String.class);
            } else {
                s.bind(2, ByteBuffer.wrap(w.sealedToken())).bind(3, w.keyId());
            }
            return Flux.from(s.bind(4, w.version()).execute()).flatMap(Result::getRowsUpdated);
        }).then();
    }

    Mono<SealedBootstrapToken> find(String deviceId) {
        return withConnection(c -> Flux.from(c.createStatement(FIND).bind(0, deviceId).execute())
                .flatMap(r -> r.map(row -> Optional.ofNullable(row.get("bootstrap_token", byte[].class))
                        .map(token -> new SealedBootstrapToken(row.get("bootstrap_key_id", String.class), token)))))
                .next()
                .flatMap(Mono::justOrEmpty);
    }

    Flux<StoredBootstrapToken> notSealedWith(String keyId, String after, int limit) {
        return withConnection(c -> Flux.from(c.createStatement(NOT_SEALED_WITH).bind(0, keyId).bind(1, limit)
                        .bind(2, after).execute())
                .flatMap(r -> r.map(row -> new StoredBootstrapToken(row.get("id", String.class),
                        new SealedBootstrapToken(row.get("bootstrap_key_id", String.class),
                                row.get("bootstrap_token", byte[].class))))));
    }

    Mono<Long> countNotSealedWith(String keyId) {
        return withConnection(c -> Flux.from(c.createStatement(COUNT_NOT_SEALED_WITH).bind(0, keyId).execute())
                .flatMap(r -> r.map(row -> row.get("n", Long.class))))
                .single();
    }

    Mono<Boolean> reseal(String deviceId, byte[] expected, byte[] sealed, String keyId) {
        return withConnection(c -> Flux.from(c.createStatement(RESEAL).bind(0, deviceId).bind(1, ByteBuffer.wrap(expected))
                        .bind(2, ByteBuffer.wrap(sealed)).bind(3, keyId).execute())
                .flatMap(Result::getRowsUpdated))
                .reduce(0L, Long::sum)
                .map(n -> n > 0);
    }

    private <T> Flux<T> withConnection(Function<Connection, Publisher<T>> work) {
        return Pooled.withConnection(pool, work);
    }
}
