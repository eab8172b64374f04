package dev.mdmgw.persistence.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.persistence.CheckinStore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Gateway threads submit writes and receive acknowledgements; none of that may ever block. */
class NonBlockingWritePathTest extends StoreTestSupport {

    @Test
    void writesSubmittedFromEventLoopThreadsNeverBlockAnyThreadOnTheirWay() {
        CheckinStore store = open(s -> s.withPoolMaxSize(2)).store();
        AtomicInteger acked = new AtomicInteger();
        Flux<Void> all = Flux.range(0, 5_000)
                .parallel(4)
                .runOn(Schedulers.parallel())
                .flatMap(i -> write(store, i).doOnSuccess(v -> acked.incrementAndGet()), false, 5_000)
                .sequential();
        StepVerifier.create(all).expectComplete().verify(WAIT);
        assertThat(acked.get()).isEqualTo(5_000);
    }

    /** Without this the test above could pass because nothing was watching. */
    @Test
    void blockHoundWatchesTheThreadsThatSubmitAndTheThreadsThatAcknowledge() {
        CheckinStore store = store();
        AtomicReference<String> ackThread = new AtomicReference<>();
        StepVerifier.create(store.tokenUpdate(tokenUpdate(1, "D1")).then(Mono.fromCallable(() -> {
                    ackThread.set(Thread.currentThread().getName());
                    Thread.sleep(1);
                    return 1;
                })))
                .expectError(BlockingOperationError.class)
                .verify(WAIT);
        assertThat(ackThread.get()).startsWith("reactor-tcp");

        StepVerifier.create(Mono.fromCallable(() -> {
                    Thread.sleep(1);
                    return 1;
                }).subscribeOn(Schedulers.parallel()))
                .expectError(BlockingOperationError.class)
                .verify(WAIT);
    }

    private static Mono<Void> write(CheckinStore store, int i) {
        String device = "D" + (i % 500);
        return switch (i % 10) {
            case 0 -> store.authenticate(authenticate(i, device));
            case 1 -> store.checkOut(checkOut(i, device, true));
            default -> store.tokenUpdate(tokenUpdate(i, device));
        };
    }
}
