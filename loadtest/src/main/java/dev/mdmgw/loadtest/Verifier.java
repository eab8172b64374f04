package dev.mdmgw.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * After the run, reads devices back through the admin API and checks each holds its last
 * acknowledged TokenUpdate: a 200 promised the write was committed, so anything else is a lost
 * (nothing stored) or stale (older values stored) write. A device whose stored values match a
 * later TokenUpdate that was not acknowledged (503 after a timeout, transport error: it may have
 * committed) is counted apart, not as stale.
 */
public final class Verifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CONCURRENCY = 32;
    private static final int EXAMPLES = 10;

    public record Result(int checked, int ok, int lost, int stale, int storedUnacknowledged, int unreadable,
            int withoutAcknowledgedWrite, List<String> examples) {

        public boolean failed() {
            return lost > 0 || stale > 0 || unreadable > 0;
        }

        public String summary() {
            String s = String.format(Locale.ROOT, "checked %d devices: %d ok, %d lost, %d stale, %d hold a later"
                    + " unacknowledged write, %d unreadable (%d had no acknowledged TokenUpdate, not checked)",
                    checked, ok, lost, stale, storedUnacknowledged, unreadable, withoutAcknowledgedWrite);
            return examples.isEmpty() ? s : s + "\n\n" + String.join("\n", examples.stream().map(e -> "- " + e).toList());
        }
    }

    enum Outcome { OK, LOST, STALE, UNACKNOWLEDGED, UNREADABLE }

    record Checked(Device device, Outcome outcome, String detail) {
    }

    /** An admin API answer (status -1: transport error, text its message). */
    private record Answer(Device device, int status, String text) {
    }

    private final HttpClient http;
    private final String adminKey;

    public Verifier(HttpClient http, String adminKey) {
        this.http = http;
        this.adminKey = adminKey;
    }

    /** {@code sample} ≤ 0 or ≥ the fleet: every device. */
    public Result verify(Fleet fleet, int sample) {
        List<Device> devices = new ArrayList<>(fleet.devices());
        if (sample > 0 && sample < devices.size()) {
            Collections.shuffle(devices);
            devices = devices.subList(0, sample);
        }
        List<Device> withAck = devices.stream().filter(d -> d.lastAcknowledged() != null).toList();
        // Blocking here is fine: this is the CLI's own thread, after the load.
        // Judged here, not on the event loops: Jackson's first use of a type takes a lock.
        List<Checked> results = Objects.requireNonNull(Flux.fromIterable(withAck).flatMap(this::read, CONCURRENCY)
                .collectList().block(Duration.ofMinutes(30))).stream().map(a -> judge(a.device(), a.status(), a.text())).toList();
        int[] n = new int[Outcome.values().length];
        List<String> examples = new ArrayList<>();
        for (Checked c : results) {
            n[c.outcome().ordinal()]++;
            if (c.outcome() != Outcome.OK && c.outcome() != Outcome.UNACKNOWLEDGED && examples.size() < EXAMPLES) {
                examples.add(c.device().udid() + ": " + c.outcome().name().toLowerCase(Locale.ROOT) + ", " + c.detail());
            }
        }
        return new Result(withAck.size(), n[Outcome.OK.ordinal()], n[Outcome.LOST.ordinal()], n[Outcome.STALE.ordinal()],
                n[Outcome.UNACKNOWLEDGED.ordinal()], n[Outcome.UNREADABLE.ordinal()], devices.size() - withAck.size(),
                examples);
    }

    private Mono<Answer> read(Device d) {
        String path = "/v1/organizations/default/mdm/apple/enrollments/" + URLEncoder.encode(d.udid(), StandardCharsets.UTF_8);
        return http.headers(h -> h.set("Authorization", "Bearer " + adminKey)).get().uri(path)
                .responseSingle((resp, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> new Answer(d, resp.status().code(), text)))
                .onErrorResume(e -> Mono.just(new Answer(d, -1, e.toString())));
    }

    static Checked judge(Device d, int status, String text) {
        if (status == 404) {
            return new Checked(d, Outcome.LOST, "not found");
        }
        if (status < 0) {
            return new Checked(d, Outcome.UNREADABLE, "admin API: " + text);
        }
        if (status != 200) {
            return new Checked(d, Outcome.UNREADABLE, "admin API answered " + status + ": " + text);
        }
        JsonNode data;
        try {
            data = JSON.readTree(text).path("data");
        } catch (Exception e) {
            return new Checked(d, Outcome.UNREADABLE, "not JSON: " + e.getMessage());
        }
        String magic = data.path("pushMagic").isTextual() ? data.path("pushMagic").asText() : null;
        String token = data.path("token").isTextual() ? data.path("token").asText() : null;
        if (magic == null && token == null) {
            return new Checked(d, Outcome.LOST, "no TokenUpdate stored");
        }
        CheckinRequest expected = d.lastAcknowledged();
        if (matches(expected, magic, token)) {
            return new Checked(d, Outcome.OK, "");
        }
        for (CheckinRequest later : d.uncertainSince()) {
            if (matches(later, magic, token)) {
                return new Checked(d, Outcome.UNACKNOWLEDGED, "");
            }
        }
        return new Checked(d, Outcome.STALE, "expected PushMagic " + expected.pushMagic() + ", stored " + magic);
    }

    private static boolean matches(CheckinRequest r, String magic, String token) {
        return r.pushMagic().equals(magic) && r.tokenHex().equalsIgnoreCase(token);
    }
}
