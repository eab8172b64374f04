package dev.mdmgw.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A simulated device: its prepared requests and what it knows about its own TokenUpdates.
 *
 * <p>A device has at most one request in flight ({@link #tryAcquire()}), as a real one does; that
 * also makes "the last acknowledged TokenUpdate" unambiguous, so {@code --verify} can demand it.
 */
public final class Device {
    private final int index;
    private final String udid;
    private final Map<MessageType, CheckinRequest[]> requests;
    private final AtomicBoolean busy = new AtomicBoolean();
    // Written only by the holder of busy; read by the verifier after the run.
    private CheckinRequest lastAcknowledged;
    // TokenUpdates sent after lastAcknowledged that were not acknowledged but may have committed
    // (503 after a timeout, transport errors): storing one of them is not a stale write.
    private final List<CheckinRequest> uncertainSince = new ArrayList<>(1);

    public Device(int index, String udid, Map<MessageType, CheckinRequest[]> requests) {
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

    /** One prepared request of {@code type} (a random variant for TokenUpdate); null if not prepared. */
    public CheckinRequest request(MessageType type) {
        CheckinRequest[] r = requests.get(type);
        if (r == null) {
            return null;
        }
        return r.length == 1 ? r[0] : r[ThreadLocalRandom.current().nextInt(r.length)];
    }

    public CheckinRequest firstRequest(MessageType type) {
        return requests.get(type)[0];
    }

    /** Called by the holder of the device when a TokenUpdate was answered. */
    public synchronized void tokenUpdateAnswered(CheckinRequest req, int status) {
        if (status >= 200 && status < 300) {
            lastAcknowledged = req;
            uncertainSince.clear();
        } else if (status == 503 || status < 0) {
            uncertainSince.add(req);
        }
    }

    public synchronized CheckinRequest lastAcknowledged() {
        return lastAcknowledged;
    }

    public synchronized List<CheckinRequest> uncertainSince() {
        return List.copyOf(uncertainSince);
    }
}
