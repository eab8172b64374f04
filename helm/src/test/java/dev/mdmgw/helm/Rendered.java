package dev.mdmgw.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The objects {@code helm template} printed, parsed, with the look-ups the chart tests need. */
final class Rendered {
    private static final YAMLMapper YAML = new YAMLMapper();

    private final List<JsonNode> objects;

    private Rendered(List<JsonNode> objects) {
        this.objects = objects;
    }

    static Rendered parse(String manifests) {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(manifests)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    objects.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("helm template printed invalid YAML", e);
        }
        return new Rendered(objects);
    }

    Optional<JsonNode> find(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).findFirst();
    }

    JsonNode one(String kind) {
        return find(kind).orElseThrow(() -> new AssertionError("no " + kind + " rendered; kinds: " + kinds()));
    }

    List<String> kinds() {
        return objects.stream().map(o -> o.path("kind").asText()).toList();
    }

    JsonNode container() {
        return one("Deployment").path("spec").path("template").path("spec").path("containers").get(0);
    }

    /** The container's environment, by variable name, each entry as rendered (value or valueFrom). */
    Map<String, JsonNode> env() {
        Map<String, JsonNode> env = new LinkedHashMap<>();
        container().path("env").forEach(e -> env.put(e.path("name").asText(), e));
        return env;
    }
}
