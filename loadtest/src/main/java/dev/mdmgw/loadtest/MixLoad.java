package dev.mdmgw.loadtest;

import java.util.concurrent.CompletableFuture;

/** The steady mix: each unit is one check-in of a type drawn from {@code --mix}, by an idle device. */
final class MixLoad implements Load {
    private final Fleet fleet;
    private final Mix mix;
    private final Exchange exchange;

    MixLoad(Fleet fleet, Mix mix, Exchange exchange) {
        this.fleet = fleet;
        this.mix = mix;
        this.exchange = exchange;
    }

    @Override
    public CompletableFuture<?> fire(long intendedNanos) {
        MessageType type = mix.pick();
        Device device = fleet.acquireIdle();
        if (device == null) {
            // Every device already has a request in flight: more load than this fleet can make.
            exchange.recorder().notSent(type, Recorder.DEVICE_BUSY);
            return CompletableFuture.completedFuture(null);
        }
        return exchange.send(device, device.request(type), intendedNanos).whenComplete((s, e) -> device.release());
    }

    @Override
    public void overflow(long intendedNanos) {
        exchange.recorder().notSent(mix.pick(), Recorder.OVERFLOW);
    }
}
