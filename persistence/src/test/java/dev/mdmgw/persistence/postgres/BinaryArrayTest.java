package dev.mdmgw.persistence.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.persistence.Database;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Each kind of {@link BinaryArray} reaches PostgreSQL as the array it holds: NULLs, empty values,
 * text beyond ASCII, the extremes of int8, and the empty array. PostgreSQL reads them back as
 * text, so what is compared is what it stored, not what the driver would decode.
 */
class BinaryArrayTest extends StoreTestSupport {

    private ConnectionPool pool;

    @BeforeEach
    void openPool() {
        pool = Database.createPool(settings().withPoolMaxSize(1));
    }

    @AfterEach
    void closePool() {
        pool.disposeLater().block(WAIT);
    }

    @Test
    void textsKeepNullsEmptyStringsAndNonAsciiCharacters() {
        String[] values = {"LOADTEST-000000001", null, "", "Zoë's iPad \"Pro\" {1,2} \\ 📱", "NULL"};
        StepVerifier.create(elements("$1::text[]", BinaryArray.texts(values),
                        "CASE WHEN e IS NULL THEN '<null>' ELSE e END"))
                .expectNext(List.of("LOADTEST-000000001", "<null>", "", "Zoë's iPad \"Pro\" {1,2} \\ 📱", "NULL"))
                .verifyComplete();
    }

    @Test
    void byteasArriveAsTheirBytesNotAsText() {
        byte[][] values = {{0, 1, (byte) 0xff, '\\', 'x'}, null, {}};
        StepVerifier.create(elements("$1::bytea[]", BinaryArray.byteas(values),
                        "CASE WHEN e IS NULL THEN '<null>' ELSE encode(e, 'hex') || '/' || length(e) END"))
                .expectNext(List.of("0001ff5c78/5", "<null>", "/0"))
                .verifyComplete();
    }

    @Test
    void int8sAndBoolsKeepTheirValues() {
        Long[] longs = {Long.MIN_VALUE, 0L, null, Long.MAX_VALUE};
        StepVerifier.create(elements("$1::int8[]", BinaryArray.int8s(longs), "coalesce(e::text, '<null>')"))
                .expectNext(List.of("-9223372036854775808", "0", "<null>", "9223372036854775807"))
                .verifyComplete();
        Boolean[] bools = {true, false, null};
        StepVerifier.create(elements("$1::bool[]", BinaryArray.bools(bools), "coalesce(e::text, '<null>')"))
                .expectNext(List.of("true", "false", "<null>"))
                .verifyComplete();
    }

    @Test
    void anEmptyArrayIsPostgresqlsEmptyArray() {
        StepVerifier.create(Flux.usingWhen(pool.create(),
                        c -> Flux.from(c.createStatement("SELECT cardinality($1::text[]), $1::text[] = '{}'")
                                        .bind(0, BinaryArray.texts(new String[0])).execute())
                                .flatMap(r -> r.map((row, meta) -> row.get(0, Integer.class) + " " + row.get(1, Boolean.class))),
                        Connection::close))
                .expectNext("0 true")
                .verifyComplete();
    }

    /** The array's elements in order, each as {@code asText} (over column {@code e}) renders it. */
    private Mono<List<String>> elements(String parameter, BinaryArray array, String asText) {
        String sql = "SELECT " + asText + " FROM unnest(" + parameter + ") WITH ORDINALITY AS u(e, n) ORDER BY n";
        Function<Connection, Flux<String>> query = c -> Flux.from(c.createStatement(sql).bind(0, array).execute())
                .flatMap(r -> r.map((row, meta) -> row.get(0, String.class)));
        return Flux.usingWhen(pool.create(), query, Connection::close).collectList();
    }
}
