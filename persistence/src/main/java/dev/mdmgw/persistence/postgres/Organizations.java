package dev.mdmgw.persistence.postgres;

import static dev.mdmgw.persistence.postgres.Pooled.rows;
import static dev.mdmgw.persistence.postgres.Pooled.rowsUpdated;

import dev.mdmgw.persistence.org.Organization;
import dev.mdmgw.persistence.read.Page;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Organizations, their topics and settings, and the users their policy let in, one statement each through the pool. */
final class Organizations {
    private static final String SETTINGS = "SELECT settings::text AS settings FROM organizations WHERE id = $1";
    private static final String UPDATE = "UPDATE organizations SET settings = $2::jsonb, updated_at = now() WHERE id = $1";
    private static final String RECORD_USER = """
            INSERT INTO user_authentications (enrollment_id, device_id, user_id, organization_id) VALUES ($1, $2, $3, $4)
            ON CONFLICT (enrollment_id) DO UPDATE SET organization_id = EXCLUDED.organization_id, authenticated_at = now()
            """;

    private static final String COLUMNS = """
            o.id, o.name, o.settings::text AS settings, o.created_at, o.updated_at,
            coalesce((SELECT array_agg(t.topic ORDER BY t.topic) FROM organization_topics t WHERE t.organization_id = o.id),
                '{}') AS topics
            """;
    // Foreign keys are checked at the end of the statement, so the topics may reference the new row.
    private static final String CREATE = """
            WITH o AS (
                INSERT INTO organizations (id, name) VALUES ($1, $2)
                RETURNING id, name, settings::text AS settings, created_at, updated_at
            ), t AS (
                INSERT INTO organization_topics (topic, organization_id) SELECT unnest($3::text[]), $1 RETURNING topic
            )
            SELECT o.*, (SELECT coalesce(array_agg(topic ORDER BY topic), '{}') FROM t) AS topics FROM o
            """;
    private static final String FIND = "SELECT " + COLUMNS + " FROM organizations o WHERE o.id = $1";
    private static final String ALL = "SELECT " + COLUMNS + " FROM organizations o ORDER BY o.created_at, o.id";
    private static final String PAGE = ALL + " LIMIT $1 OFFSET $2";
    private static final String COUNT = "SELECT count(*) AS total FROM organizations";
    private static final String CLAIM_TOPICS = """
            WITH claimed AS (
                INSERT INTO organization_topics (topic, organization_id) SELECT unnest($2::text[]), $1
                ON CONFLICT (topic) DO NOTHING
            )
            SELECT t.topic FROM organization_topics t WHERE t.topic = ANY($2::text[]) AND t.organization_id <> $1
            """;

    private final ConnectionFactory pool;

    Organizations(ConnectionFactory pool) {
        this.pool = pool;
    }

    Mono<Organization> create(String id, String name, List<String> topics) {
        return withConnection(c -> rows(c.createStatement(CREATE).bind(0, id).bind(1, name)
                        .bind(2, topics.toArray(String[]::new)), Organizations::organization)
                .onErrorMap(e -> Pooled.conflict(e, "organization_topics_pkey", "topics",
                        "a topic belongs to another organization already"))
                .onErrorMap(e -> Pooled.conflict(e, "organizations_pkey", "id", "the organization exists already")))
                .single();
    }

    Mono<Organization> find(String id) {
        return withConnection(c -> rows(c.createStatement(FIND).bind(0, id), Organizations::organization)).next();
    }

    Mono<List<Organization>> all() {
        return withConnection(c -> rows(c.createStatement(ALL), Organizations::organization)).collectList();
    }

    Mono<Page<Organization>> page(int page, int limit) {
        return Pooled.page(pool, page, limit,
                c -> rows(c.createStatement(PAGE).bind(0, (long) limit).bind(1, Pooled.offset(page, limit)),
                        Organizations::organization),
                c -> c.createStatement(COUNT));
    }

    Mono<List<String>> claimTopics(String organizationId, List<String> topics) {
        return withConnection(c -> rows(c.createStatement(CLAIM_TOPICS).bind(0, organizationId)
                .bind(1, topics.toArray(String[]::new)), row -> row.get("topic", String.class))).collectList();
    }

    Mono<String> settings(String organizationId) {
        return withConnection(c -> rows(c.createStatement(SETTINGS).bind(0, organizationId),
                row -> row.get("settings", String.class))).next();
    }

    Mono<Boolean> updateSettings(String organizationId, String json) {
        return withConnection(c -> rowsUpdated(c.createStatement(UPDATE).bind(0, organizationId).bind(1, Json.of(json))))
                .reduce(0L, Long::sum)
                .map(n -> n > 0);
    }

    Mono<Void> recordUser(String enrollmentId, String deviceId, String userId, String organizationId) {
        return withConnection(c -> rowsUpdated(c.createStatement(RECORD_USER).bind(0, enrollmentId).bind(1, deviceId)
                .bind(2, userId).bind(3, organizationId)))
                .then();
    }

    private static Organization organization(Readable row) {
        String[] topics = row.get("topics", String[].class);
        return new Organization(row.get("id", String.class), row.get("name", String.class),
                topics == null ? List.of() : Arrays.asList(topics), row.get("settings", String.class),
                row.get("created_at", Instant.class), row.get("updated_at", Instant.class));
    }

    private <T> Flux<T> withConnection(Function<Connection, Publisher<T>> work) {
        return Pooled.withConnection(pool, work);
    }
}
