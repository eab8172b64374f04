package dev.mdmgw.gateway.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** A {@code /metrics} scrape, read the way a test needs: sums of samples and the families present. */
final class PrometheusText {
    private record Sample(String name, String labels, double value) {
    }

    private final List<Sample> samples = new ArrayList<>();

    PrometheusText(String text) {
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String series = line.substring(0, space);
            int brace = series.indexOf('{');
            samples.add(new Sample(brace < 0 ? series : series.substring(0, brace),
                    brace < 0 ? "" : series.substring(brace), Double.parseDouble(line.substring(space + 1))));
        }
    }

    /** Every sample name in the scrape. */
    Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /** The sum of {@code name}'s samples whose labels contain every one of {@code labels} ({@code key="value"}). */
    double sum(String name, String... labels) {
        double sum = 0;
        for (Sample s : samples) {
            if (s.name().equals(name) && List.of(labels).stream().allMatch(s.labels()::contains)) {
                sum += s.value();
            }
        }
        return sum;
    }
}
