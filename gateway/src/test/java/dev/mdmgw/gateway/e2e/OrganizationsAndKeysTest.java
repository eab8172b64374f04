package dev.mdmgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mdmgw.gateway.Gateway;
import dev.mdmgw.persistence.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Organizations, their topics and API keys through the admin API: every error code, isolation, revocation. */
class OrganizationsAndKeysTest {
    private static final String SUPER = "orgs-super-key";
    private static final String ALL_PERMISSIONS = "[\"mdm.apple.enrollmentToken.get\", \"mdm.apple.enrollmentToken.list\", "
            + "\"mdm.apple.enrollmentToken.create\", \"mdm.apple.enrollmentToken.delete\", \"mdm.apple.enrollment.get\", "
            + "\"mdm.apple.enrollment.list\", \"mdm.apple.enrollment.pushInfo\", \"mdm.apple.settings.get\", "
            + "\"mdm.apple.settings.update\", \"mdm.apple.watchPairing.verify\"]";

    private static TestDatabase db;
    private static Gateway gateway;
    private static GatewayClient client;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        gateway = Gateway.start(TestSettings.of(db.url(), SUPER));
        client = new GatewayClient(gateway.httpPort(), gateway.mgmtPort(), SUPER);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (db != null) {
            db.close();
        }
    }

    static String topic() {
        return "com.apple.mgmt.External." + UUID.randomUUID();
    }

    static JsonNode ok(GatewayClient.Answer a) {
        assertThat(a.status()).as("answer %s", a.body()).isEqualTo(200);
        assertThat(a.body().get("status").asBoolean()).isTrue();
        return a.body().get("data");
    }

    static void error(GatewayClient.Answer a, int status, int code, String mentions) {
        assertThat(a.status()).as("answer %s", a.body()).isEqualTo(status);
        assertThat(a.body().get("status").asBoolean()).isFalse();
        assertThat(a.body().at("/error/code").asInt()).isEqualTo(code);
        assertThat(a.body().at("/error/message").asText()).contains(mentions);
    }

    static String createOrg(GatewayClient c, String superKey, String name, String... topics) {
        StringBuilder list = new StringBuilder();
        for (String t : topics) {
            list.append(list.length() == 0 ? "" : ",").append('"').append(t).append('"');
        }
        return ok(c.admin("POST", "/v1/organizations", "{\"name\": \"" + name + "\", \"topics\": [" + list + "]}",
                superKey)).get("id").asText();
    }

    static String createKey(GatewayClient c, String superKey, String org, String permissions) {
        JsonNode k = ok(c.admin("POST", "/v1/organizations/" + org + "/api-keys",
                "{\"name\": \"ci\", \"permissions\": " + permissions + "}", superKey));
        return k.get("key").asText();
    }

    @Test
    void organizationsAreCreatedListedAndReadWithTheirTopics() {
        String t = topic();
        JsonNode created = ok(client.admin("POST", "/v1/organizations", "{\"name\": \"Acme\", \"topics\": [\"" + t + "\"]}", SUPER));
        String id = created.get("id").asText();
        assertThat(id).matches("^[a-f0-9]{24}$");
        assertThat(created.get("topics").get(0).asText()).isEqualTo(t);

        JsonNode one = ok(client.admin("GET", "/v1/organizations/" + id, null, SUPER));
        assertThat(one.get("name").asText()).isEqualTo("Acme");
        JsonNode list = ok(client.admin("GET", "/v1/organizations?limit=500", null, SUPER));
        List<String> ids = new ArrayList<>();
        list.get("items").forEach(o -> ids.add(o.get("id").asText()));
        assertThat(ids).contains("default", id);
        assertThat(list.get("totalDocs").asLong()).isGreaterThanOrEqualTo(2);

        // A topic belongs to one organization only.
        error(client.admin("POST", "/v1/organizations", "{\"name\": \"Other\", \"topics\": [\"" + t + "\"]}", SUPER),
                400, 5001, "topics");
        error(client.admin("GET", "/v1/organizations/" + "a".repeat(24), null, SUPER), 404, 3001, "Entity not found");
    }

    @Test
    void organizationBodiesAreValidatedNamingTheField() {
        error(client.admin("POST", "/v1/organizations", "{\"topics\": [\"" + topic() + "\"]}", SUPER), 400, 5001, "name");
        error(client.admin("POST", "/v1/organizations", "{\"name\": \"x\", \"topics\": []}", SUPER), 400, 5001, "topics");
        error(client.admin("POST", "/v1/organizations", "{\"name\": \"x\", \"topics\": [\"com.example.push\"]}", SUPER),
                400, 5001, "topics");
        error(client.admin("POST", "/v1/organizations", "{\"name\": \"x\", \"topics\": [\"" + topic() + "\"], \"extra\": 1}",
                SUPER), 400, 5001, "extra");
        error(client.admin("POST", "/v1/organizations", "not json", SUPER), 400, 5001, "body");
        error(client.admin("GET", "/v1/organizations/a_b", null, SUPER), 400, 5001, "organizationId");
    }

    @Test
    void everyAuthenticationErrorHasItsCode() {
        error(client.admin("GET", "/v1/organizations", null, null), 401, 4002, "No auth token");
        error(client.admin("GET", "/v1/organizations", null, "wrong"), 401, 4004, "Invalid Token");
        error(client.admin("GET", "/v1/organizations", null, "mdmgw_" + "a".repeat(24) + "_" + "b".repeat(43)),
                401, 4004, "Invalid Token");
        String org = createOrg(client, SUPER, "Keys", topic());
        String key = createKey(client, SUPER, org, "[\"mdm.apple.enrollment.list\"]");
        // A valid key, but organizations and keys are the super-admin's.
        error(client.admin("GET", "/v1/organizations", null, key), 403, 4003, "Permission denied");
        error(client.admin("POST", "/v1/organizations/" + org + "/api-keys", "{\"name\": \"x\", \"permissions\": []}", key),
                403, 4003, "Permission denied");
        // Its own organization, a permission it lacks.
        error(client.admin("GET", "/v1/organizations/" + org + "/mdm/apple/enterprise/enrollment-tokens", null, key),
                403, 4003, "mdm.apple.enrollmentToken.list");
        ok(client.admin("GET", "/v1/organizations/" + org + "/mdm/apple/enrollments", null, key));
        error(client.admin("GET", "/v1/organizations/" + org + "/mdm/apple/nothing", null, key), 404, 3001, "Entity not found");
    }

    @Test
    void keysAreShownOnceListedWithoutSecretsAndRevokedAtOnce() {
        String org = createOrg(client, SUPER, "Revocation", topic());
        JsonNode created = ok(client.admin("POST", "/v1/organizations/" + org + "/api-keys",
                "{\"name\": \"deploy\", \"permissions\": [\"mdm.apple.enrollment.list\"]}", SUPER));
        String key = created.get("key").asText();
        String id = created.get("id").asText();
        assertThat(key).startsWith("mdmgw_" + id + "_");
        assertThat(db.column("SELECT encode(secret_sha256, 'hex') FROM api_keys WHERE id = '" + id + "'").iterator().next())
                .doesNotContain(key.substring(key.lastIndexOf('_') + 1));

        JsonNode list = ok(client.admin("GET", "/v1/organizations/" + org + "/api-keys", null, SUPER));
        assertThat(list.get("items")).hasSize(1);
        assertThat(list.get("items").get(0).has("key")).isFalse();
        assertThat(list.get("items").get(0).get("permissions").get(0).asText()).isEqualTo("mdm.apple.enrollment.list");

        ok(client.admin("GET", "/v1/organizations/" + org + "/mdm/apple/enrollments", null, key));
        ok(client.admin("DELETE", "/v1/organizations/" + org + "/api-keys/" + id, null, SUPER));
        error(client.admin("GET", "/v1/organizations/" + org + "/mdm/apple/enrollments", null, key), 401, 4004, "Invalid Token");
        error(client.admin("DELETE", "/v1/organizations/" + org + "/api-keys/" + id, null, SUPER), 404, 3001, "Entity not found");
        assertThat(ok(client.admin("GET", "/v1/organizations/" + org + "/api-keys", null, SUPER)).get("items")).isEmpty();

        error(client.admin("POST", "/v1/organizations/" + org + "/api-keys",
                "{\"name\": \"x\", \"permissions\": [\"mdm.apple.everything\"]}", SUPER), 400, 5001, "permissions");
        error(client.admin("POST", "/v1/organizations/" + org + "/api-keys", "{\"permissions\": []}", SUPER),
                400, 5001, "name");
        error(client.admin("DELETE", "/v1/organizations/" + org + "/api-keys/nope", null, SUPER), 400, 5001, "apiKeyId");
    }

    @Test
    void aKeyOfOneOrganizationFindsNothingOfAnother() {
        String a = createOrg(client, SUPER, "A", topic());
        String b = createOrg(client, SUPER, "B", topic());
        String keyA = createKey(client, SUPER, a, ALL_PERMISSIONS);
        String keyB = createKey(client, SUPER, b, ALL_PERMISSIONS);
        String tokenB = ok(client.admin("POST", "/v1/organizations/" + b + "/mdm/apple/enterprise/enrollment-tokens",
                "{\"sendEmail\": false}", keyB)).get("id").asText();
        String base = "/v1/organizations/" + b + "/mdm/apple";
        for (String[] call : new String[][] {
                {"GET", base + "/enterprise/enrollment-tokens/" + tokenB, null},
                {"DELETE", base + "/enterprise/enrollment-tokens/" + tokenB, null},
                {"GET", base + "/enterprise/enrollment-tokens", null},
                {"POST", base + "/enterprise/enrollment-tokens", "{\"sendEmail\": false}"},
                {"POST", base + "/enterprise/enrollment-tokens/bulk", "{\"sendEmail\": false, \"userEmails\": [\"a@b.c\"]}"},
                {"GET", base + "/enrollments", null},
                {"GET", base + "/enrollments/SOME-UDID", null},
                {"POST", base + "/enrollments/push-info", "{\"ids\": [\"x\"]}"},
                {"GET", base + "/settings", null},
                {"PUT", base + "/settings", "{}"},
                {"POST", base + "/watch-pairing/verify", "{\"token\": \"x\"}"},
                {"GET", "/v1/organizations/" + b, null},
                {"GET", "/v1/organizations/" + b + "/api-keys", null}}) {
            GatewayClient.Answer answer = client.admin(call[0], call[1], call[2], keyA);
            error(answer, 404, 3001, "Entity not found");
        }
        // The same token through A's own path: not A's, so not found either.
        error(client.admin("GET", "/v1/organizations/" + a + "/mdm/apple/enterprise/enrollment-tokens/" + tokenB, null, keyA),
                404, 3001, "Entity not found");
        assertThat(db.column("SELECT state FROM enrollment_tokens WHERE id = '" + tokenB + "'")).containsExactly("PENDING");
    }
}
