package dev.mdmgw.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @Test
    void defaultsFollowTheContract() {
        Settings s = Settings.from(Map.of());
        assertThat(s.httpPort()).isEqualTo(8080);
        assertThat(s.mgmtPort()).isEqualTo(9090);
        assertThat(s.dbUrl()).isEmpty();
        assertThat(s.adminApiKey()).isEmpty();
        assertThat(s.topics()).isEmpty();
        assertThat(s.maxBodyBytes()).isEqualTo(1_048_576);
        assertThat(s.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(s.shutdownGraceSeconds()).isEqualTo(25);
        assertThat(s.shutdownDelaySeconds()).isZero();
    }

    @Test
    void theShutdownDelayIsPartOfTheGracePeriod() {
        Settings s = Settings.from(Map.of("MDMGW_SHUTDOWN_GRACE_SECONDS", "30", "MDMGW_SHUTDOWN_DELAY_SECONDS", "5"));
        assertThat(s.shutdownDelaySeconds()).isEqualTo(5);
        assertThatThrownBy(() -> Settings.from(Map.of("MDMGW_SHUTDOWN_GRACE_SECONDS", "5", "MDMGW_SHUTDOWN_DELAY_SECONDS", "5")))
                .hasMessageContaining("MDMGW_SHUTDOWN_DELAY_SECONDS");
        assertThatThrownBy(() -> Settings.from(Map.of("MDMGW_SHUTDOWN_DELAY_SECONDS", "-1")))
                .hasMessageContaining("must not be negative");
    }

    @TempDir
    Path dir;

    @Test
    void readsEveryVariable() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "pem");
        Settings s = Settings.from(Map.ofEntries(
                Map.entry("MDMGW_HTTP_PORT", "8443"), Map.entry("MDMGW_MGMT_PORT", "8443"),
                Map.entry("MDMGW_DB_URL", "postgresql://u:p@db:5432/mdm"), Map.entry("MDMGW_DB_POOL_MAX", "12"),
                Map.entry("MDMGW_ADMIN_API_KEY", "k"), Map.entry("MDMGW_TOPICS", " com.apple.mgmt.a ,com.apple.mgmt.b,"),
                Map.entry("MDMGW_MAX_BODY_BYTES", "2048"), Map.entry("MDMGW_DATA_DIR", "/var/lib/mdmgw"),
                Map.entry("MDMGW_WRITE_QUEUE_CAPACITY", "5000"), Map.entry("MDMGW_SHUTDOWN_GRACE_SECONDS", "40"),
                Map.entry("MDMGW_DEVICE_AUTH", "HEADER"), Map.entry("MDMGW_DEVICE_CA_FILE", ca.toString()),
                Map.entry("MDMGW_CERT_HEADER", "Client-Cert"), Map.entry("MDMGW_CERT_RETRO", "true"),
                Map.entry("MDMGW_CERT_CACHE_SECONDS", "7"), Map.entry("MDMGW_CERT_CACHE_SIZE", "99")));
        assertThat(s.mgmtOnHttpPort()).isTrue();
        assertThat(s.dbUrl()).contains("postgresql://u:p@db:5432/mdm");
        assertThat(s.dbPoolMax()).contains(12);
        assertThat(s.topics()).isEqualTo(Set.of("com.apple.mgmt.a", "com.apple.mgmt.b"));
        assertThat(s.maxBodyBytes()).isEqualTo(2048);
        assertThat(s.dataDir()).isEqualTo(Path.of("/var/lib/mdmgw"));
        assertThat(s.writeQueueCapacity()).contains(5000);
        assertThat(s.shutdownGraceSeconds()).isEqualTo(40);
        assertThat(s.identity()).isEqualTo(new Settings.Identity(DeviceAuth.HEADER, Optional.of(ca),
                Optional.of("Client-Cert"), Optional.empty(), Optional.empty(), true, 7, 99));
    }

    @Test
    void identityDefaultsToSignatureWithTheDevelopmentCaOnlyForTheEmbeddedDatabase() {
        Settings.Identity embedded = Settings.from(Map.of()).identity();
        assertThat(embedded.mode()).isEqualTo(DeviceAuth.SIGNATURE);
        assertThat(embedded.caFile()).isEmpty();
        assertThat(embedded.retro()).isFalse();
        assertThatThrownBy(() -> Settings.from(Map.of("MDMGW_DB_URL", "postgresql://db/mdm")))
                .hasMessageContaining("MDMGW_DEVICE_CA_FILE");
        assertThat(Settings.from(Map.of("MDMGW_DB_URL", "postgresql://db/mdm", "MDMGW_DEVICE_AUTH", "none"))
                .identity().mode()).isEqualTo(DeviceAuth.NONE);
    }

    @Test
    void eachIdentityModeNamesWhatItIsMissing() throws Exception {
        String ca = Files.writeString(dir.resolve("ca.pem"), "pem").toString();
        String pem = Files.writeString(dir.resolve("tls.pem"), "pem").toString();
        assertThatThrownBy(() -> Settings.from(Map.of("MDMGW_DEVICE_AUTH", "mtls")))
                .hasMessageContaining("MDMGW_DEVICE_AUTH");
        assertThatThrownBy(() -> Settings.from(Map.of("MDMGW_DEVICE_AUTH", "header")))
                .hasMessageContaining("MDMGW_CERT_HEADER");
        assertThatThrownBy(() -> Settings.from(Map.of("MDMGW_DEVICE_AUTH", "tls", "MDMGW_DEVICE_CA_FILE", ca)))
                .hasMessageContaining("MDMGW_TLS_CERT_FILE");
        assertThatThrownBy(() -> Settings.from(Map.of("MDMGW_DEVICE_AUTH", "tls", "MDMGW_TLS_CERT_FILE", pem,
                        "MDMGW_TLS_KEY_FILE", pem)))
                .hasMessageContaining("MDMGW_DEVICE_CA_FILE");
        assertThatThrownBy(() -> Settings.from(Map.of("MDMGW_DEVICE_AUTH", "tls", "MDMGW_TLS_CERT_FILE", pem,
                        "MDMGW_TLS_KEY_FILE", pem, "MDMGW_DEVICE_CA_FILE", ca, "MDMGW_HTTP_PORT", "8443",
                        "MDMGW_MGMT_PORT", "8443")))
                .hasMessageContaining("MDMGW_MGMT_PORT");
        assertThatThrownBy(() -> Settings.from(Map.of("MDMGW_DEVICE_CA_FILE", dir.resolve("absent.pem").toString())))
                .hasMessageContaining("MDMGW_DEVICE_CA_FILE");
        assertThatThrownBy(() -> Settings.from(Map.of("MDMGW_CERT_RETRO", "yes")))
                .hasMessageContaining("MDMGW_CERT_RETRO");
    }

    @Test
    void badValuesFailTheBootWithTheirName() {
        assertThatThrownBy(() -> Settings.from(Map.of("MDMGW_HTTP_PORT", "eighty")))
                .hasMessageContaining("MDMGW_HTTP_PORT");
        assertThatThrownBy(() -> Settings.from(Map.of("MDMGW_MGMT_PORT", "70000")))
                .hasMessageContaining("MDMGW_MGMT_PORT");
        assertThatThrownBy(() -> Settings.from(Map.of("MDMGW_DB_POOL_MAX", "0")))
                .hasMessageContaining("MDMGW_DB_POOL_MAX");
        assertThatThrownBy(() -> Settings.from(Map.of("MDMGW_TOPICS", "com.example.push")))
                .hasMessageContaining("MDMGW_TOPICS");
        assertThatThrownBy(() -> Settings.from(Map.of("MDMGW_TOPICS", "com.apple.mgmt.")))
                .hasMessageContaining("MDMGW_TOPICS");
        assertThatThrownBy(() -> Settings.from(Map.of("MDMGW_DB_URL", "mysql://db/mdm")))
                .hasMessageContaining("MDMGW_DB_URL");
        assertThatThrownBy(() -> Settings.from(Map.of("MDMGW_LOG_FORMAT", "JSON")))
                .hasMessageContaining("MDMGW_LOG_FORMAT");
    }
}
