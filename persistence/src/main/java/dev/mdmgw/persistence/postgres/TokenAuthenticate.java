package dev.mdmgw.persistence.postgres;

import dev.mdmgw.persistence.write.AuthenticateWrite;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Statement;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * An Authenticate that presents an enrollment token: the token is claimed and the Authenticate
 * written in one transaction, so a device either enrolls into the token's organization and the
 * token is DONE, or neither happens. Not batched with other Authenticates: the claim decides per
 * device, and the few token enrollments are not the load the write stream is for.
 *
 * <p>Two devices racing for one token: the first UPDATE locks the row; the second waits for that
 * transaction, then re-checks its condition against the committed row (READ COMMITTED), finds it
 * DONE by another device, and claims nothing. The same device authenticating again (a retry, a
 * re-installed profile) claims its own DONE token again.
 */
final class TokenAuthenticate {
    private static final String CLAIM = """
            UPDATE enrollment_tokens SET state = 'DONE', adm_device = $2, updated_at = now()
            WHERE id = $1 AND organization_id = $3
              AND ((state = 'PENDING' AND expire_at > now()) OR (state = 'DONE' AND adm_device = $2))
            """;
    private static final int ROLLED_BACK_RETRIES = 3;

    private final ConnectionFactory pool;
    private final AuthenticateStatement authenticate = new AuthenticateStatement();

    TokenAuthenticate(ConnectionFactory pool) {
        this.pool = pool;
    }

    Mono<Boolean> run(String tokenId, AuthenticateWrite write) {
        return Pooled.inTransaction(pool, c -> Pooled.rowsUpdated(c.createStatement(CLAIM).bind(0, tokenId)
                                .bind(1, write.deviceId()).bind(2, write.organizationId()))
                        .flatMap(claimed -> claimed == 0 ? Mono.just(false)
                                : Pooled.rowsUpdated(bound(c.createStatement(authenticate.sql()), write)).thenReturn(true)))
                // single(), not next(): cancelling after the first signal would roll the transaction back.
                .single()
                // A deadlock with a batched write rolled everything back; the claim is safe to repeat.
                .retryWhen(Retry.max(ROLLED_BACK_RETRIES).filter(e -> Failures.isRolledBack(e.getCause())));
    }

    private Statement bound(Statement statement, AuthenticateWrite write) {
        List<CoalescedRow<AuthenticateWrite>> rows = CoalescedRow.coalesce(
                List.of(new PendingWrite<>(WriteKind.AUTHENTICATE, write, null, 0L)), authenticate::key, authenticate::version);
        authenticate.bind(statement, rows);
        return statement;
    }
}
