package dev.mdmgw.persistence.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcNonTransientException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import io.r2dbc.spi.R2dbcTimeoutException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Which failures send a batch row by row: only those of the rows themselves (SQLSTATE 21, 22, 23). */
class FailuresTest {

    @Test
    void dataAndIntegrityAndCardinalityErrorsAreRowErrors() {
        assertThat(Failures.isRowError(new R2dbcNonTransientException("NUL in text", "22021") { })).isTrue();
        assertThat(Failures.isRowError(new R2dbcDataIntegrityViolationException("duplicate", "23505"))).isTrue();
        assertThat(Failures.isRowError(new R2dbcDataIntegrityViolationException("foreign key", "23503"))).isTrue();
        assertThat(Failures.isRowError(new R2dbcNonTransientException("affects row twice", "21000") { })).isTrue();
    }

    @Test
    void grammarPermissionAndAuthorizationErrorsAreSystemic() {
        assertThat(Failures.isRowError(new R2dbcBadGrammarException("undefined table", "42P01"))).isFalse();
        assertThat(Failures.isRowError(new R2dbcBadGrammarException("syntax", "42601"))).isFalse();
        assertThat(Failures.isRowError(new R2dbcPermissionDeniedException("permission denied", "42501"))).isFalse();
        assertThat(Failures.isRowError(new R2dbcPermissionDeniedException("invalid authorization", "28000"))).isFalse();
        assertThat(Failures.isRowError(new R2dbcTimeoutException("statement timeout", "57014"))).isFalse();
        assertThat(Failures.isRowError(new R2dbcNonTransientException("no state") { })).isFalse();
        assertThat(Failures.isRowError(new TimeoutException())).isFalse();
    }
}
