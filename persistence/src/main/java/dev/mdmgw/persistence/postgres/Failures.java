package dev.mdmgw.persistence.postgres;

import dev.mdmgw.persistence.StoreException;
import dev.mdmgw.persistence.StoreOverloadedException;
import dev.mdmgw.persistence.StoreUnavailableException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientException;
import reactor.pool.PoolAcquirePendingLimitException;

/**
 * How database errors become the store's two answers. The split matters to operators more than to
 * devices (both are a 503): "overloaded" says add capacity, "unavailable" says the database is sick.
 */
final class Failures {
    private Failures() {
    }

    /**
     * A connection could not be had. Waiting too long means every connection is busy (or connecting
     * hangs): overloaded. Anything else (refused, authentication, pool closed) means unavailable.
     */
    static StoreException acquisition(Throwable e) {
        if (e instanceof StoreException se) {
            return se;
        }
        if (e instanceof R2dbcTimeoutException || e instanceof PoolAcquirePendingLimitException) {
            return new StoreOverloadedException("no database connection became free in time");
        }
        return new StoreUnavailableException("cannot get a database connection: " + e.getMessage(), e);
    }

    static StoreException statement(Throwable e) {
        if (e instanceof StoreException se) {
            return se;
        }
        return new StoreUnavailableException("the database failed the statement: " + e.getMessage(), e);
    }

    /**
     * The rows themselves were refused, so rerunning them one by one lets the good rows of the
     * batch commit. Decided by SQLSTATE class, not by exception type (the driver maps 42xxx and
     * 28xxx to non-transient exceptions too):
     * <ul>
     * <li>22 data exception (a value PostgreSQL cannot take, such as a NUL in text),</li>
     * <li>23 integrity constraint violation (check, foreign key, not null),</li>
     * <li>21 cardinality violation (two rows of the batch reaching one target row).</li>
     * </ul>
     * Everything else is systemic and would fail every row the same way: 42 (bad grammar, an
     * undefined table, 42501 permission denied), 28 (authorization), 57 (a cancelled or timed
     * out statement, an operator intervention), 08 (connection), 53 (resources), 40 (rolled back).
     */
    static boolean isRowError(Throwable e) {
        if (!(e instanceof R2dbcException r2dbc)) {
            return false;
        }
        String state = r2dbc.getSqlState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("21"));
    }

    /**
     * Serialization failure or deadlock (SQLSTATE class 40): PostgreSQL rolled the statement back,
     * nothing of it committed, so running it again is safe.
     */
    static boolean isRolledBack(Throwable e) {
        if (!(e instanceof R2dbcTransientException)) {
            return false;
        }
        String state = ((R2dbcException) e).getSqlState();
        return state != null && state.startsWith("40");
    }
}
