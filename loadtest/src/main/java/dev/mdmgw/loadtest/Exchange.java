package dev.mdmgw.loadtest;

import java.util.concurrent.CompletableFuture;

/** Sends one request for an acquired device and records its answer; shared by the loads. */
final class Exchange {
    private final Sender sender;
    private final Recorder recorder;

    Exchange(Sender sender, Recorder recorder) {
        this.sender = sender;
        this.recorder = recorder;
    }

    Recorder recorder() {
        return recorder;
    }

    /** Completes with the status (-1: transport error) once recorded; latency counts from {@code intendedNanos}. */
    CompletableFuture<Integer> send(Device device, CheckinRequest req, long intendedNanos) {
        recorder.sent();
        return sender.send(req).thenApply(status -> {
            recorder.answered(req.type(), status, System.nanoTime() - intendedNanos);
            if (req.type() == MessageType.TOKEN_UPDATE) {
                device.tokenUpdateAnswered(req, status);
            }
            return status;
        });
    }
}
