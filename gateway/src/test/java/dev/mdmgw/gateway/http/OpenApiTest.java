package dev.mdmgw.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.mdmgw.gateway.metrics.GatewayMetrics;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The committed OpenAPI document lists every route the router serves, and its examples fit its schemas. */
class OpenApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private static JsonNode document() throws Exception {
        return JSON.readTree(OpenApi.document());
    }

    @Test
    void everyServedRouteIsDocumented() throws Exception {
        JsonNode paths = document().get("paths");
        try (GatewayMetrics metrics = new GatewayMetrics()) {
            AdminRoutes routes = new AdminRoutes(null, null, null, Optional.of("k"), JSON, metrics,
                    BodyBudget.quarterOfHeap(), null, null, new PublicUrl("http://localhost"), false);
            List<String> missing = new ArrayList<>();
            for (String route : routes.routeTemplates()) {
                String[] methodAndPath = route.split(" ", 2);
                JsonNode path = paths.get(methodAndPath[1]);
                if (path == null || !path.has(methodAndPath[0].toLowerCase())) {
                    missing.add(route);
                }
            }
            assertThat(missing).isEmpty();
            assertThat(routes.routeTemplates()).hasSize(countOperations(paths));
        }
    }

    @Test
    void everyExampleAnswerFitsItsSchema() throws Exception {
        JsonNode doc = document();
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (op.getKey().equals("parameters")) {
                    continue;
                }
                for (JsonNode response : op.getValue().get("responses")) {
                    JsonNode media = response.path("content").path("application/json");
                    if (media.has("example")) {
                        Set<ValidationMessage> errors = schema(doc, media.get("schema")).validate(media.get("example"));
                        assertThat(errors).as("%s %s", op.getKey(), path.getKey()).isEmpty();
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(20);
    }

    @Test
    void aWrongAnswerDoesNotFit() throws Exception {
        JsonNode doc = document();
        JsonNode token = doc.at("/paths/~1v1~1organizations~1{org}~1mdm~1apple~1enterprise~1enrollment-tokens~1{admEnrollmentTokenId}"
                + "/get/responses/200/content/application~1json");
        ObjectNode wrong = token.get("example").deepCopy();
        ((ObjectNode) wrong.get("data")).put("state", "LOST");
        assertThat(schema(doc, token.get("schema")).validate(wrong)).isNotEmpty();
    }

    /** {@code schema} standalone: the document's component schemas as its $defs. */
    static JsonSchema schema(JsonNode doc, JsonNode schema) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(JSON.writeValueAsString(schema).replace("#/components/schemas/", "#/$defs/"));
        root.set("$defs", JSON.readTree(JSON.writeValueAsString(doc.get("components").get("schemas"))
                .replace("#/components/schemas/", "#/$defs/")));
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        return SCHEMAS.getSchema(root);
    }

    private static int countOperations(JsonNode paths) {
        int n = 0;
        for (JsonNode path : paths) {
            for (Iterator<String> keys = path.fieldNames(); keys.hasNext();) {
                if (!keys.next().equals("parameters")) {
                    n++;
                }
            }
        }
        return n;
    }
}
