package dev.mdmgw.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The end report: per message type, count, throughput, percentiles (ms) and answer counts; JSON and Markdown. */
public record Report(Map<String, Object> run, List<Phase> phases, Verifier.Result verification) {

    public record Phase(String name, double seconds, List<TypeStats> types) {
    }

    public record TypeStats(String type, long count, double perSecond, double p50Ms, double p90Ms, double p99Ms,
            double p999Ms, double maxMs, Map<String, Long> statuses) {

        /** {@code h} in nanoseconds; {@code count} also counts requests never sent (overflow, busy). */
        public static TypeStats of(MessageType type, Histogram h, Map<String, Long> statuses, double seconds) {
            long count = statuses.values().stream().mapToLong(Long::longValue).sum();
            boolean any = h.getTotalCount() > 0;
            return new TypeStats(type.option(), count, seconds > 0 ? h.getTotalCount() / seconds : 0,
                    any ? ms(h.getValueAtPercentile(50.0)) : 0, any ? ms(h.getValueAtPercentile(90.0)) : 0,
                    any ? ms(h.getValueAtPercentile(99.0)) : 0, any ? ms(h.getValueAtPercentile(99.9)) : 0,
                    any ? ms(h.getMaxValue()) : 0, statuses);
        }

        private static double ms(long nanos) {
            return nanos / 1e6;
        }
    }

    /** The stats of every type that was sent (or tried) in a phase. */
    public static Phase phase(String name, Recorder recorder, double seconds) {
        List<TypeStats> types = new ArrayList<>();
        for (MessageType t : MessageType.values()) {
            Map<String, Long> statuses = recorder.statuses(t);
            Histogram h = recorder.histogram(t);
            if (!statuses.isEmpty()) {
                types.add(TypeStats.of(t, h, statuses, seconds));
            }
        }
        return new Phase(name, seconds, types);
    }

    public String markdown() {
        StringBuilder md = new StringBuilder("# mdm-loadtest report\n\n");
        run.forEach((k, v) -> md.append("- ").append(k).append(": `").append(v).append("`\n"));
        for (Phase p : phases) {
            md.append(String.format(Locale.ROOT, "%n## %s (%.1f s)%n%n", p.name(), p.seconds()));
            md.append("| type | count | answered/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | statuses |\n");
            md.append("|---|---|---|---|---|---|---|---|---|\n");
            for (TypeStats t : p.types()) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.2f | %.2f | %.2f | %.2f | %.2f | %s |%n",
                        t.type(), t.count(), t.perSecond(), t.p50Ms(), t.p90Ms(), t.p99Ms(), t.p999Ms(), t.maxMs(),
                        statuses(t.statuses())));
            }
        }
        if (verification != null) {
            md.append("\n## verification\n\n").append(verification.summary()).append('\n');
        }
        return md.toString();
    }

    private static String statuses(Map<String, Long> s) {
        List<String> parts = new ArrayList<>();
        s.forEach((k, v) -> parts.add(k + ": " + v));
        return String.join(", ", parts);
    }

    public void write(String prefix) throws IOException {
        Path json = Path.of(prefix + ".json");
        Path md = Path.of(prefix + ".md");
        if (json.toAbsolutePath().getParent() != null) {
            Files.createDirectories(json.toAbsolutePath().getParent());
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("run", run);
        doc.put("phases", phases);
        doc.put("verification", verification);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), doc);
        Files.writeString(md, markdown(), StandardCharsets.UTF_8);
    }
}
