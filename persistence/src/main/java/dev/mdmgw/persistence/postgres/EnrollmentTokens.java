package dev.mdmgw.persistence.postgres;

import static dev.mdmgw.persistence.postgres.Pooled.rows;

import dev.mdmgw.persistence.org.EnrollmentToken;
import dev.mdmgw.persistence.org.NewEnrollmentToken;
import dev.mdmgw.persistence.org.TokenQuery;
import dev.mdmgw.persistence.read.Page;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Statement;
import java.time.Instant;
import java.util.List;
import reactor.core.publisher.Mono;

/** Enrollment tokens: created in bulk in one statement, listed, read, deleted (state DELETED, the row stays). */
final class EnrollmentTokens {
    /** What a token reads as: a PENDING token past its expiry is EXPIRED. */
    static final String STATE = "CASE WHEN t.state = 'PENDING' AND t.expire_at <= now() THEN 'EXPIRED' ELSE t.state END";
    private static final String COLUMNS = "t.id, t.organization_id, t.enroll_code, " + STATE + " AS state, "
            + "t.adm_device, t.document::text AS document, t.expire_at, t.created_at, t.updated_at";

    private static final String CREATE = """
            INSERT INTO enrollment_tokens AS t (id, organization_id, enroll_code, state, mdm_user_id, adm_policy_id,
                display_name, document, expire_at)
            SELECT u.id, $1, u.code, 'PENDING', u.mdm_user_id, u.adm_policy_id, u.display_name, u.document::jsonb,
                now() + make_interval(secs => u.duration)
            FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int4[])
                AS u(id, code, mdm_user_id, adm_policy_id, display_name, document, duration)
            RETURNING\s""" + COLUMNS;

    // A policy filter matches the token's policy or any of its policy assignments.
    private static final String FILTER = """
            WHERE t.organization_id = $1
              AND ($2::text IS NULL OR t.mdm_user_id = $2::text)
              AND ($3::text IS NULL OR t.adm_policy_id = $3::text
                   OR t.document->'admPolicyAssignments' @> jsonb_build_array(jsonb_build_object('admPolicyId', $3::text)))
              AND ($4::bool OR t.state <> 'DELETED')
            """;
    private static final String LIST = "SELECT " + COLUMNS + " FROM enrollment_tokens t " + FILTER
            + " ORDER BY %1$s %2$s NULLS LAST, t.id %2$s LIMIT $5 OFFSET $6";
    private static final String COUNT = "SELECT count(*) AS total FROM enrollment_tokens t " + FILTER;
    private static final String FIND = "SELECT " + COLUMNS + " FROM enrollment_tokens t WHERE t.organization_id = $1 AND t.id = $2";
    private static final String FIND_BY_CODE = "SELECT " + COLUMNS + " FROM enrollment_tokens t WHERE t.enroll_code = $1";
    private static final String DELETE = "UPDATE enrollment_tokens AS t SET state = 'DELETED', updated_at = now() "
            + "WHERE t.organization_id = $1 AND t.id = $2 RETURNING " + COLUMNS;
    private static final String ORGANIZATION = "SELECT organization_id FROM enrollment_tokens WHERE id = $1";

    private final ConnectionFactory pool;

    EnrollmentTokens(ConnectionFactory pool) {
        this.pool = pool;
    }

    Mono<List<EnrollmentToken>> create(String organizationId, List<NewEnrollmentToken> tokens) {
        int n = tokens.size();
        String[] ids = new String[n];
        String[] codes = new String[n];
        String[] users = new String[n];
        String[] policies = new String[n];
        String[] names = new String[n];
        String[] documents = new String[n];
        Integer[] durations = new Integer[n];
        for (int i = 0; i < n; i++) {
            NewEnrollmentToken t = tokens.get(i);
            ids[i] = t.id();
            codes[i] = t.enrollCode();
            users[i] = t.mdmUserId();
            policies[i] = t.admPolicyId();
            names[i] = t.displayName();
            documents[i] = t.documentJson();
            durations[i] = t.durationSeconds();
        }
        return Pooled.withConnection(pool, c -> rows(c.createStatement(CREATE).bind(0, organizationId).bind(1, ids)
                                .bind(2, codes).bind(3, users).bind(4, policies).bind(5, names).bind(6, documents)
                                .bind(7, durations), EnrollmentTokens::token)
                        .onErrorMap(e -> Pooled.conflict(e, "enrollment_tokens_enroll_code_idx", "enrollCode",
                                "an enrollment code is taken")))
                .collectList();
    }

    Mono<Page<EnrollmentToken>> list(TokenQuery q) {
        String sql = LIST.formatted(q.sort().column(), q.descending() ? "DESC" : "ASC");
        return Pooled.page(pool, q.page(), q.limit(),
                c -> rows(filtered(c.createStatement(sql), q).bind(4, (long) q.limit())
                        .bind(5, Pooled.offset(q.page(), q.limit())), EnrollmentTokens::token),
                c -> filtered(c.createStatement(COUNT), q));
    }

    Mono<EnrollmentToken> find(String organizationId, String id) {
        return Pooled.withConnection(pool, c -> rows(c.createStatement(FIND).bind(0, organizationId).bind(1, id),
                EnrollmentTokens::token)).next();
    }

    Mono<EnrollmentToken> findByCode(String code) {
        return Pooled.withConnection(pool, c -> rows(c.createStatement(FIND_BY_CODE).bind(0, code),
                EnrollmentTokens::token)).next();
    }

    Mono<EnrollmentToken> delete(String organizationId, String id) {
        return Pooled.withConnection(pool, c -> rows(c.createStatement(DELETE).bind(0, organizationId).bind(1, id),
                EnrollmentTokens::token)).singleOrEmpty();
    }

    Mono<String> organizationOf(String tokenId) {
        return Pooled.withConnection(pool, c -> rows(c.createStatement(ORGANIZATION).bind(0, tokenId),
                row -> row.get("organization_id", String.class))).next();
    }

    private static Statement filtered(Statement s, TokenQuery q) {
        s.bind(0, q.organizationId());
        if (q.mdmUserId() == null) {
            s.bindNull(1, String.class);
        } else {
            s.bind(1, q.mdmUserId());
        }
        if (q.admPolicyId() == null) {
            s.bindNull(2, String.class);
        } else {
            s.bind(2, q.admPolicyId());
        }
        return s.bind(3, q.showDeleted());
    }

    private static EnrollmentToken token(Readable row) {
        return new EnrollmentToken(row.get("id", String.class), row.get("organization_id", String.class),
                row.get("enroll_code", String.class), row.get("state", String.class),
                row.get("adm_device", String.class), row.get("document", String.class),
                row.get("expire_at", Instant.class), row.get("created_at", Instant.class),
                row.get("updated_at", Instant.class));
    }
}
