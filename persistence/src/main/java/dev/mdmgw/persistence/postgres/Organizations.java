package dev.mdmgw.persistence.postgres;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Organization settings and the users their policy let in, one statement each through the pool. */
final class Organizations {
    private static final String SETTINGS = "SELECT settings::text AS settings FROM organizations WHERE id = $1";
    private static final String UPDATE = "UPDATE organizations SET settings = $2::jsonb, updated_at = now() WHERE id = $1";
    private static final String RECORD_USER = """
            INSERT INTO user_authentications (enrollment_id, device_id, user_id, organization_id) VALUES ($1, $2, $3, $4)
            ON CONFLICT (enrollment_id) DO UPDATE SET organization_id = EXCLUDED.organization_id, authenticated_at = now()
            """;

    private final ConnectionFactory pool;

    Organizations(ConnectionFactory pool) {
        this.pool = pool;
    }

    Mono<String> settings(String organizationId) {
        return withConnection(c -> Flux.from(c.createStatement(SETTINGS).bind(0, organizationId).execute())
                .flatMap(r -> r.map(row -> row.get("settings", String.class)))).next();
    }

    Mono<Boolean> updateSettings(String organizationId, String json) {
        return withConnection(c -> Flux.from(c.createStatement(UPDATE).bind(0, organizationId).bind(1, Json.of(json))
                        .execute())
                .flatMap(Result::getRowsUpdated))
                .reduce(0L, Long::sum)
                .map(n -> n > 0);
    }

    Mono<Void> recordUser(String enrollmentId, String deviceId, String userId, String organizationId) {
        return withConnection(c -> Flux.from(c.createStatement(RECORD_USER).bind(0, enrollmentId).bind(1, deviceId)
                        .bind(2, userId).bind(3, organizationId).execute())
                .flatMap(Result::getRowsUpdated))
                .then();
    }

    private <T> Flux<T> withConnection(Function<Connection, Publisher<T>> work) {
        return Pooled.withConnection(pool, work);
    }
}
