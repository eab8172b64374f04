package dev.mdmgw.persistence.postgres;

import dev.mdmgw.persistence.StoreConflictException;
import dev.mdmgw.persistence.read.Page;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import java.util.List;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One unit of work on a pooled connection, released however it ends, with the store's two
 * failures: no connection in time is overloaded, anything else is unavailable.
 */
final class Pooled {
    private Pooled() {
    }

    static <T> Flux<T> withConnection(ConnectionFactory pool, Function<Connection, Publisher<T>> work) {
        return Flux.usingWhen(Mono.from(pool.create()).onErrorMap(Failures::acquisition), work, Connection::close)
                .onErrorMap(Failures::statement);
    }

    /** {@link #withConnection}, the work in one transaction: committed when it completes, else rolled back. */
    static <T> Flux<T> inTransaction(ConnectionFactory pool, Function<Connection, Publisher<T>> work) {
        return withConnection(pool, c -> Flux.usingWhen(Mono.from(c.beginTransaction()).thenReturn(c), work,
                Connection::commitTransaction, (conn, error) -> conn.rollbackTransaction(),
                Connection::rollbackTransaction));
    }

    /**
     * One page of a listing and the listing's size, both on one connection one after the other: a
     * listing costs one pool slot. {@code items} is not run for a limit of 0.
     */
    static <T> Mono<Page<T>> page(ConnectionFactory pool, int page, int limit, Function<Connection, Flux<T>> items,
            Function<Connection, Statement> count) {
        return withConnection(pool, c -> {
            Mono<List<T>> list = limit == 0 ? Mono.just(List.<T>of()) : items.apply(c).collectList();
            Mono<Long> total = rows(count.apply(c), row -> row.get("total", Long.class)).single();
            return list.flatMap(l -> total.map(n -> new Page<>(l, page, limit, n)));
        }).single();
    }

    static long offset(int page, int limit) {
        return (long) (page - 1) * limit;
    }

    static <T> Flux<T> rows(Statement statement, Function<Readable, T> mapper) {
        return Flux.from(statement.execute()).flatMap(r -> r.map(mapper));
    }

    static Mono<Long> rowsUpdated(Statement statement) {
        return Flux.from(statement.execute()).flatMap(Result::getRowsUpdated).reduce(0L, Long::sum);
    }

    /**
     * A unique violation of {@code constraint} becomes a {@link StoreConflictException} on
     * {@code field}; anything else passes unchanged.
     */
    static Throwable conflict(Throwable e, String constraint, String field, String message) {
        if (e instanceof R2dbcException r && "23505".equals(r.getSqlState()) && r.getMessage() != null
                && r.getMessage().contains(constraint)) {
            return new StoreConflictException(field, message);
        }
        return e;
    }
}
