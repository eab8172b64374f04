package dev.mdmgw.loadtest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One pass over the whole fleet, in random order, each device once: enrollment (Authenticate,
 * then TokenUpdate once it was acknowledged) or a storm (one TokenUpdate each, as every device
 * does when APNs comes back). Finite: {@link #fire} returns null when every device had its turn.
 */
final class FleetPassLoad implements Load {
    private final List<Device> order;
    private final boolean enroll;
    private final Exchange exchange;
    private final AtomicInteger next = new AtomicInteger();

    FleetPassLoad(Fleet fleet, boolean enroll, Exchange exchange) {
        List<Device> shuffled = new ArrayList<>(fleet.devices());
        Collections.shuffle(shuffled);
        this.order = shuffled;
        this.enroll = enroll;
        this.exchange = exchange;
    }

    static FleetPassLoad enrollment(Fleet fleet, Exchange exchange) {
        return new FleetPassLoad(fleet, true, exchange);
    }

    static FleetPassLoad storm(Fleet fleet, Exchange exchange) {
        return new FleetPassLoad(fleet, false, exchange);
    }

    @Override
    public CompletableFuture<?> fire(long intendedNanos) {
        Device device = take();
        if (device == null) {
            return null;
        }
        if (!device.tryAcquire()) { // a previous phase's request is still out for it
            exchange.recorder().notSent(enroll ? MessageType.AUTHENTICATE : MessageType.TOKEN_UPDATE, Recorder.DEVICE_BUSY);
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Integer> done;
        if (enroll) {
            done = exchange.send(device, device.firstRequest(MessageType.AUTHENTICATE), intendedNanos)
                    .thenCompose(status -> status == 200
                            ? exchange.send(device, device.firstRequest(MessageType.TOKEN_UPDATE), System.nanoTime())
                            : CompletableFuture.completedFuture(status));
        } else {
            done = exchange.send(device, device.request(MessageType.TOKEN_UPDATE), intendedNanos);
        }
        return done.whenComplete((s, e) -> device.release());
    }

    @Override
    public void overflow(long intendedNanos) {
        if (take() != null) {
            exchange.recorder().notSent(enroll ? MessageType.AUTHENTICATE : MessageType.TOKEN_UPDATE, Recorder.OVERFLOW);
        }
    }

    private Device take() {
        int i = next.getAndIncrement();
        return i < order.size() ? order.get(i) : null;
    }
}
