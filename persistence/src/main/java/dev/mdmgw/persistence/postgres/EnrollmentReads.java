package dev.mdmgw.persistence.postgres;

import static dev.mdmgw.persistence.postgres.Pooled.rows;

import dev.mdmgw.persistence.EnrollmentType;
import dev.mdmgw.persistence.read.EnrollmentQuery;
import dev.mdmgw.persistence.read.EnrollmentView;
import dev.mdmgw.persistence.read.Page;
import dev.mdmgw.persistence.read.PushInfo;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The admin API's reads, through the same bounded pool as the writes: when it is exhausted a read
 * waits at most the pool's acquire time and then sheds load like a write would.
 */
final class EnrollmentReads {

    private static final String VIEW_COLUMNS = """
            e.id, e.device_id, e.user_id, e.type, e.organization_id, e.topic, e.push_magic, e.token,
            e.unlock_token IS NOT NULL AS has_unlock_token, e.enabled, e.awaiting_configuration,
            e.token_update_count, d.serial_number, d.model, d.os_version, e.last_seen_at, e.enrolled_at
            """;

    private static final String FIND = "SELECT " + VIEW_COLUMNS + """
            FROM enrollments e LEFT JOIN devices d ON d.id = e.device_id
            WHERE e.organization_id = $1 AND e.id = $2
            """;

    // The filters are "absent or equal"; both forms are cheap next to the (organization_id, id) scan.
    private static final String FILTER = """
            WHERE e.organization_id = $1
              AND ($2::bool IS NULL OR e.enabled = $2::bool)
              AND ($3::text IS NULL OR e.type = $3::text)
            """;

    private static final String LIST = "SELECT " + VIEW_COLUMNS + """
            FROM enrollments e LEFT JOIN devices d ON d.id = e.device_id
            """ + FILTER + """
            ORDER BY e.id
            LIMIT $4 OFFSET $5
            """;

    private static final String COUNT = "SELECT count(*) AS total FROM enrollments e " + FILTER;

    private static final String PUSH_INFO = """
            SELECT id, topic, push_magic, token FROM enrollments
            WHERE organization_id = $1 AND id = ANY($2::text[]) AND enabled AND token IS NOT NULL
            ORDER BY id
            """;

    private static final Duration PING_TIMEOUT = Duration.ofSeconds(2);

    private final ConnectionFactory pool;

    EnrollmentReads(ConnectionFactory pool) {
        this.pool = pool;
    }

    Mono<EnrollmentView> find(String organizationId, String enrollmentId) {
        return withConnection(c -> rows(c.createStatement(FIND).bind(0, organizationId).bind(1, enrollmentId), EnrollmentReads::view))
                .next();
    }

    Mono<Page<EnrollmentView>> list(EnrollmentQuery q) {
        if (q.page() < 1 || q.limit() < 0) {
            return Mono.error(new IllegalArgumentException("page starts at 1 and limit is not negative"));
        }
        return Pooled.page(pool, q.page(), q.limit(),
                c -> rows(filtered(c.createStatement(LIST), q).bind(3, (long) q.limit())
                        .bind(4, Pooled.offset(q.page(), q.limit())), EnrollmentReads::view),
                c -> filtered(c.createStatement(COUNT), q));
    }

    Flux<PushInfo> pushInfo(String organizationId, List<String> ids) {
        if (ids.isEmpty()) {
            return Flux.empty();
        }
        return withConnection(c -> rows(c.createStatement(PUSH_INFO).bind(0, organizationId).bind(1, ids.toArray(String[]::new)),
                row -> new PushInfo(row.get("id", String.class), row.get("topic", String.class),
                        row.get("push_magic", String.class), row.get("token", byte[].class))));
    }

    Mono<Boolean> ping() {
        return Mono.usingWhen(Mono.from(pool.create()),
                        c -> Flux.from(c.createStatement("SELECT 1").execute()).flatMap(r -> r.map(row -> 1)).then(Mono.just(true)),
                        Connection::close)
                .timeout(PING_TIMEOUT)
                .onErrorReturn(false);
    }

    private static Statement filtered(Statement s, EnrollmentQuery q) {
        s.bind(0, q.organizationId());
        if (q.enabled() == null) {
            s.bindNull(1, Boolean.class);
        } else {
            s.bind(1, q.enabled());
        }
        if (q.type() == null) {
            s.bindNull(2, String.class);
        } else {
            s.bind(2, q.type().code());
        }
        return s;
    }

    private <T> Flux<T> withConnection(Function<Connection, Publisher<T>> work) {
        return Pooled.withConnection(pool, work);
    }


    private static EnrollmentView view(Readable row) {
        return new EnrollmentView(
                row.get("id", String.class),
                row.get("device_id", String.class),
                row.get("user_id", String.class),
                EnrollmentType.fromCode(row.get("type", String.class)),
                row.get("organization_id", String.class),
                row.get("topic", String.class),
                row.get("push_magic", String.class),
                row.get("token", byte[].class),
                Boolean.TRUE.equals(row.get("has_unlock_token", Boolean.class)),
                Boolean.TRUE.equals(row.get("enabled", Boolean.class)),
                Boolean.TRUE.equals(row.get("awaiting_configuration", Boolean.class)),
                row.get("token_update_count", Long.class),
                row.get("serial_number", String.class),
                row.get("model", String.class),
                row.get("os_version", String.class),
                row.get("last_seen_at", Instant.class),
                row.get("enrolled_at", Instant.class));
    }
}
