package dev.mdmgw.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart through a real Helm (helm-java carries it as a native library): lint in strict mode,
 * then render with the default values and with every option on, and check the objects.
 */
class ChartTest {
    private static final Path CHART = Path.of("mdm-gateway");
    private static final Path ALL_OPTIONS = Path.of("src/test/resources/all-options.yaml");
    private static final Path README = Path.of("../README.md");

    private static Rendered render(Path valuesFile) {
        var template = new Helm(CHART).template().withName("mdm").withNamespace("mdm");
        if (valuesFile != null) {
            template = template.withValuesFile(valuesFile);
        }
        return Rendered.parse(template.call());
    }

    @Test
    void lintsCleanInStrictMode() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    }

    @Test
    void defaultsRenderAHardenedDeploymentWithProbesOnTheManagementPort() {
        Rendered r = render(null);
        assertThat(r.kinds()).contains("Deployment", "Service", "Secret", "ServiceAccount",
                "HorizontalPodAutoscaler", "PodDisruptionBudget");
        assertThat(r.kinds()).doesNotContain("ServiceMonitor", "PrometheusRule", "NetworkPolicy", "Ingress", "ConfigMap");

        JsonNode c = r.container();
        assertThat(ports(c)).containsEntry("http", 8080).containsEntry("mgmt", 9090);
        assertProbe(c.path("livenessProbe"), "/healthz");
        assertProbe(c.path("readinessProbe"), "/readyz");
        assertProbe(c.path("startupProbe"), "/healthz");
        assertThat(c.path("resources").path("requests").path("memory").asText()).isEqualTo("1Gi");
        assertThat(c.path("resources").path("limits").path("memory").asText()).isEqualTo("1Gi");

        JsonNode sc = c.path("securityContext");
        assertThat(sc.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(sc.path("capabilities").path("drop").toString()).contains("ALL");
        JsonNode pod = r.one("Deployment").path("spec").path("template").path("spec");
        assertThat(pod.path("securityContext").path("runAsUser").asInt()).isPositive();
        // A read-only root filesystem still needs a writable /tmp.
        assertThat(mountPaths(c)).contains("/tmp");

        // The pod is given the drain it needs, plus the margin for the JVM to exit.
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isEqualTo(25 + 5);
        assertThat(r.env().get("MDMGW_SHUTDOWN_GRACE_SECONDS").path("value").asText()).isEqualTo("25");
        // The JVM as benchmarked: heap from the container limit, G1's pause goal at 10 ms.
        assertThat(r.env().get("JAVA_TOOL_OPTIONS").path("value").asText())
                .contains("-XX:MaxRAMPercentage=70").contains("-XX:MaxGCPauseMillis=10");

        JsonNode svc = r.one("Service").path("spec").path("ports");
        Map<String, String> servicePorts = new LinkedHashMap<>();
        svc.forEach(p -> servicePorts.put(p.path("name").asText(), p.path("port").asText() + "->" + p.path("targetPort").asText()));
        assertThat(servicePorts).containsEntry("http", "8080->http").containsEntry("metrics", "9090->mgmt");

        // Without an existing Secret, the secret settings come from the chart's own.
        JsonNode adminKey = r.env().get("MDMGW_ADMIN_API_KEY").path("valueFrom").path("secretKeyRef");
        assertThat(adminKey.path("name").asText()).isEqualTo("mdm-mdm-gateway");
        assertThat(adminKey.path("optional").asBoolean()).isTrue();
        assertThat(r.one("Deployment").path("spec").has("replicas")).as("the HPA owns the replica count").isFalse();
    }

    @Test
    void secretValuesGoToTheChartsSecretNeverIntoThePodSpec() {
        String out = new Helm(CHART).template().withName("mdm")
                .set("secrets.dbUrl", "postgresql://mdm:hunter2@db:5432/mdm")
                .set("secrets.adminApiKey", "admin-key-42").call();
        Rendered r = Rendered.parse(out);
        JsonNode secret = r.one("Secret").path("stringData");
        assertThat(secret.path("MDMGW_DB_URL").asText()).isEqualTo("postgresql://mdm:hunter2@db:5432/mdm");
        assertThat(secret.path("MDMGW_ADMIN_API_KEY").asText()).isEqualTo("admin-key-42");
        assertThat(r.one("Deployment").toString()).doesNotContain("hunter2", "admin-key-42");
    }

    @Test
    void everyOptionOnRendersEveryObjectAndMapsEverySetting() {
        Rendered r = render(ALL_OPTIONS);
        assertThat(r.kinds()).contains("Deployment", "Service", "ServiceAccount", "HorizontalPodAutoscaler",
                "PodDisruptionBudget", "ServiceMonitor", "PrometheusRule", "NetworkPolicy", "Ingress", "ConfigMap");
        assertThat(r.kinds()).as("secrets come from existingSecret").doesNotContain("Secret");

        Map<String, JsonNode> env = r.env();
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("MDMGW_HTTP_PORT", "8081");
        expected.put("MDMGW_MGMT_PORT", "9091");
        expected.put("MDMGW_DB_POOL_MAX", "12");
        expected.put("MDMGW_WRITE_QUEUE_CAPACITY", "50000");
        expected.put("MDMGW_TOPICS", "com.apple.mgmt.External.a,com.apple.mgmt.External.b");
        expected.put("MDMGW_MAX_BODY_BYTES", "2097152");
        expected.put("MDMGW_SHUTDOWN_GRACE_SECONDS", "40");
        expected.put("MDMGW_SHUTDOWN_DELAY_SECONDS", "7");
        expected.put("MDMGW_LOG_LEVEL", "DEBUG");
        expected.put("MDMGW_LOG_FORMAT", "text");
        expected.put("MDMGW_PUBLIC_URL", "https://mdm.example.com");
        expected.put("MDMGW_DEVICE_AUTH", "header");
        // header mode behind ingress-nginx with client certificates: its header.
        expected.put("MDMGW_CERT_HEADER", "ssl-client-cert");
        expected.put("MDMGW_CERT_RETRO", "true");
        expected.put("MDMGW_CERT_CACHE_SECONDS", "45");
        expected.put("MDMGW_CERT_CACHE_SIZE", "250000");
        expected.put("MDMGW_SERVER_UUID", "3F1C2A4B-0000-4000-8000-000000000001");
        expected.put("MDMGW_DDM_URL", "http://ddm.example.svc:8000/ddm");
        expected.put("MDMGW_DDM_TIMEOUT_SECONDS", "6");
        expected.put("MDMGW_DATA_DIR", "/var/lib/mdmgw");
        expected.put("MDMGW_DEVICE_CA_FILE", "/etc/mdmgw/device-ca/bundle.pem");
        expected.put("MDMGW_TLS_CERT_FILE", "/etc/mdmgw/tls/tls.crt");
        expected.put("MDMGW_TLS_KEY_FILE", "/etc/mdmgw/tls/tls.key");
        expected.put("MDMGW_TOKEN_SIGNING_KEY_FILE", "/etc/mdmgw/token-signing/signing.pem");
        expected.put("MDMGW_PROFILE_SIGNING_CERT_FILE", "/etc/mdmgw/profile-signing/tls.crt");
        expected.put("MDMGW_PROFILE_SIGNING_KEY_FILE", "/etc/mdmgw/profile-signing/tls.key");
        expected.forEach((name, value) -> {
            assertThat(env).as(name).containsKey(name);
            assertThat(env.get(name).path("value").asText()).as(name).isEqualTo(value);
        });
        for (String secret : Set.of("MDMGW_DB_URL", "MDMGW_ADMIN_API_KEY", "MDMGW_BOOTSTRAP_KEYS", "MDMGW_DDM_HMAC_KEY",
                "MDMGW_WATCH_PAIRING_KEY")) {
            JsonNode ref = env.get(secret).path("valueFrom").path("secretKeyRef");
            assertThat(ref.path("name").asText()).as(secret).isEqualTo("mdm-secrets");
            assertThat(ref.path("key").asText()).as(secret).isEqualTo(secret);
        }
        assertThat(env).containsKey("EXTRA_SETTING");

        JsonNode c = r.container();
        assertThat(ports(c)).containsEntry("http", 8081).containsEntry("mgmt", 9091);
        assertThat(mountPaths(c)).contains("/tmp", "/var/lib/mdmgw", "/etc/mdmgw/device-ca", "/etc/mdmgw/tls",
                "/etc/mdmgw/token-signing");
        JsonNode pod = r.one("Deployment").path("spec").path("template").path("spec");
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isEqualTo(40 + 5);
        assertThat(c.path("image").asText()).isEqualTo("registry.example.com/mdm-gateway:9.9.9");

        JsonNode annotations = r.one("Ingress").path("metadata").path("annotations");
        assertThat(annotations.path("nginx.ingress.kubernetes.io/auth-tls-secret").asText()).isEqualTo("mdm/device-ca");
        assertThat(annotations.path("nginx.ingress.kubernetes.io/auth-tls-pass-certificate-to-upstream").asText())
                .isEqualTo("true");
        assertThat(r.one("ServiceMonitor").path("spec").path("endpoints").get(0).path("port").asText()).isEqualTo("metrics");
        assertThat(r.one("HorizontalPodAutoscaler").path("spec").path("maxReplicas").asInt()).isEqualTo(20);
        assertThat(r.one("PodDisruptionBudget").path("spec").path("maxUnavailable").asInt()).isEqualTo(2);
    }

    @Test
    void everySettingTheReadmeDocumentsIsMappedFromValues() throws IOException {
        Set<String> documented = documentedSettings();
        assertThat(documented).contains("MDMGW_DB_URL", "MDMGW_SHUTDOWN_GRACE_SECONDS");
        Set<String> mapped = render(ALL_OPTIONS).env().keySet();
        assertThat(mapped).containsAll(documented);
    }

    @Test
    void theRulesCoverTheIssuesAlertsAndTheDashboardIsValidJson() throws IOException {
        Rendered r = render(ALL_OPTIONS);
        Set<String> alerts = new TreeSet<>();
        r.one("PrometheusRule").path("spec").path("groups").forEach(g -> g.path("rules")
                .forEach(rule -> alerts.add(rule.path("alert").asText())));
        assertThat(alerts).contains("MdmGatewayShedding", "MdmGatewayServerErrors", "MdmGatewayCheckinLatencyHigh",
                "MdmGatewayWriteQueueSaturated", "MdmGatewayDatabaseErrors", "MdmGatewayIdentityFailureSpike",
                "MdmGatewayNoTokenUpdates");
        String rules = r.one("PrometheusRule").toString();
        assertThat(rules).doesNotContain("{{").contains("job=\\\"mdm-mdm-gateway\\\"");

        JsonNode dashboard = new ObjectMapper().readTree(r.one("ConfigMap").path("data").path("mdm-gateway.json").asText());
        assertThat(dashboard.path("panels").size()).isGreaterThan(5);
        assertThat(dashboard.toString()).contains("mdmgw_checkin_requests_seconds_bucket", "mdmgw_write_queue_depth",
                "r2dbc_pool_pending", "mdmgw_identity_failures_total");
    }

    /** The variables of the README's settings table, plus those CONTRACT.md names that the table does not list yet. */
    private static Set<String> documentedSettings() throws IOException {
        Set<String> names = new TreeSet<>();
        Pattern variable = Pattern.compile("`(MDMGW_[A-Z0-9_]+)`");
        boolean inSettings = false;
        for (String line : Files.readAllLines(README)) {
            if (line.startsWith("## ")) {
                inSettings = line.equals("## Settings");
            } else if (inSettings && line.startsWith("| `MDMGW_")) {
                Matcher m = variable.matcher(line.substring(0, line.indexOf('|', 1)));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        names.add("MDMGW_PUBLIC_URL");
        return names;
    }

    private static Map<String, Integer> ports(JsonNode container) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        container.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
        return ports;
    }

    private static Set<String> mountPaths(JsonNode container) {
        Set<String> paths = new TreeSet<>();
        container.path("volumeMounts").forEach(m -> paths.add(m.path("mountPath").asText()));
        return paths;
    }

    private static void assertProbe(JsonNode probe, String path) {
        assertThat(probe.path("httpGet").path("path").asText()).isEqualTo(path);
        assertThat(probe.path("httpGet").path("port").asText()).isEqualTo("mgmt");
    }
}
