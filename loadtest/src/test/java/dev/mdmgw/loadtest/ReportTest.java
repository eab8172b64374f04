package dev.mdmgw.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReportTest {

    @Test
    void percentilesOfKnownLatencies() {
        Recorder r = new Recorder();
        // 1 ms, 2 ms, ..., 1000 ms: p50 = 500 ms, p90 = 900, p99 = 990, p99.9 = 999, max = 1000.
        for (int ms = 1; ms <= 1000; ms++) {
            r.sent();
            r.answered(MessageType.TOKEN_UPDATE, ms % 100 == 0 ? 503 : 200, TimeUnit.MILLISECONDS.toNanos(ms));
        }
        r.answered(MessageType.GET_TOKEN, 400, TimeUnit.MILLISECONDS.toNanos(7));
        r.notSent(MessageType.GET_TOKEN, Recorder.OVERFLOW);

        Report.Phase phase = Report.phase("steady", r, 10.0);

        assertThat(phase.types()).extracting(Report.TypeStats::type).containsExactly("tokenupdate", "gettoken");
        Report.TypeStats t = phase.types().get(0);
        assertThat(t.count()).isEqualTo(1000);
        assertThat(t.perSecond()).isEqualTo(100.0);
        // HdrHistogram with 3 significant digits: within 0.1%.
        assertThat(t.p50Ms()).isCloseTo(500, within(0.5));
        assertThat(t.p90Ms()).isCloseTo(900, within(0.9));
        assertThat(t.p99Ms()).isCloseTo(990, within(1.0));
        assertThat(t.p999Ms()).isCloseTo(999, within(1.0));
        assertThat(t.maxMs()).isCloseTo(1000, within(1.0));
        assertThat(t.statuses()).containsEntry("200", 990L).containsEntry("503", 10L);

        Report.TypeStats g = phase.types().get(1);
        assertThat(g.count()).isEqualTo(2);
        assertThat(g.statuses()).containsEntry("400", 1L).containsEntry(Recorder.OVERFLOW, 1L);
        assertThat(g.p50Ms()).isCloseTo(7, within(0.01));
    }

    @Test
    void markdownHasARowPerType() {
        Recorder r = new Recorder();
        r.answered(MessageType.AUTHENTICATE, 200, 1_000_000);
        r.answered(MessageType.CHECK_OUT, -1, 2_000_000);
        Report rep = new Report(java.util.Map.of("devices", 1), java.util.List.of(Report.phase("steady", r, 1.0)), null);

        assertThat(rep.markdown()).contains("| authenticate | 1 |").contains("| checkout | 1 |")
                .contains(Recorder.TRANSPORT_ERROR + ": 1");
    }
}
