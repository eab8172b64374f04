package dev.mdmgw.persistence.postgres;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
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
}
