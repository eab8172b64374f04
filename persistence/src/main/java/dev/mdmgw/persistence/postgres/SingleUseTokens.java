package dev.mdmgw.persistence.postgres;

import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Single use of watch-pairing tokens: the primary key decides, even between gateways racing. */
final class SingleUseTokens {
    private static final String CONSUME = """
            INSERT INTO consumed_watch_pairing_tokens (token_id, expires_at) VALUES ($1, $2)
            ON CONFLICT (token_id) DO NOTHING
            """;

    private final ConnectionFactory pool;

    SingleUseTokens(ConnectionFactory pool) {
        this.pool = pool;
    }

    Mono<Boolean> consume(UUID tokenId, Instant expiresAt) {
        return Pooled.withConnection(pool, c -> Flux.from(c.createStatement(CONSUME).bind(0, tokenId)
                                .bind(1, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC)).execute())
                        .flatMap(Result::getRowsUpdated))
                .reduce(0L, Long::sum)
                .map(n -> n == 1);
    }
}
