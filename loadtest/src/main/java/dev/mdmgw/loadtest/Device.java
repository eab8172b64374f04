package dev.mdmgw.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A simulated device: where its requests come from and what it knows about its own TokenUpdates.
 *
 * <p>A device has at most one request in flight ({@link #tryAcquire()}), as a real one does; that
 * also makes "the last acknowledged TokenUpdate" unambiguous, so {@code --verify} can demand it.
 * TokenUpdates are remembered by variant number, not by request, to keep big fleets small.
 */
public final class Device {
    /** Variants are remembered in a long's bits. */
    static final int MAX_VARIANTS = 63;

    private final int index;
    private final String udid;
    private final DeviceRequests requests;
    private final AtomicBoolean busy = new AtomicBoolean();
    // Written only by the holder of busy; read by the verifier after the run.
    private int lastAcknowledged = -1;
    // Variants sent after lastAcknowledged that were not acknowledged but may have committed
    // (503 after a timeout, transport errors): storing one of them is not a stale write.
    private long uncertainSince;

    public Device(int index, String udid, DeviceRequests requests) {
        this.index = index;
        this.udid = udid;
        this.requests = requests;
    }

    public int index() {
        return index;
    }

    public String udid() {
        return udid;
    }

    public boolean tryAcquire() {
        return busy.compareAndSet(false, true);
    }

    public void release() {
        busy.set(false);
    }

    /** A request of {@code type} (a random variant for TokenUpdate); null if not prepared. */
    public CheckinRequest request(MessageType type) {
        int n = requests.variants(type);
        return requests.get(this, type, n <= 1 ? 0 : ThreadLocalRandom.current().nextInt(n));
    }

    public CheckinRequest firstRequest(MessageType type) {
        return requests.get(this, type, 0);
    }

    /** Called by the holder of the device when a TokenUpdate was answered. */
    public synchronized void tokenUpdateAnswered(CheckinRequest req, int status) {
        if (status >= 200 && status < 300) {
            lastAcknowledged = req.variant();
            uncertainSince = 0;
        } else if (status == 503 || status < 0) {
            uncertainSince |= 1L << req.variant();
        }
    }

    public synchronized CheckinRequest lastAcknowledged() {
        return lastAcknowledged < 0 ? null : requests.get(this, MessageType.TOKEN_UPDATE, lastAcknowledged);
    }

    public synchronized List<CheckinRequest> uncertainSince() {
        List<CheckinRequest> out = new ArrayList<>(Long.bitCount(uncertainSince));
        for (long bits = uncertainSince; bits != 0; bits &= bits - 1) {
            out.add(requests.get(this, MessageType.TOKEN_UPDATE, Long.numberOfTrailingZeros(bits)));
        }
        return out;
    }
}
