package dev.mdmgw.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

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
    }

    @Test
    void readsEveryVariable() {
        Settings s = Settings.from(Map.of(
                "MDMGW_HTTP_PORT", "8443", "MDMGW_MGMT_PORT", "8443",
                "MDMGW_DB_URL", "postgresql://u:p@db:5432/mdm", "MDMGW_DB_POOL_MAX", "12",
                "MDMGW_ADMIN_API_KEY", "k", "MDMGW_TOPICS", " com.apple.mgmt.a ,com.apple.mgmt.b,",
                "MDMGW_MAX_BODY_BYTES", "2048", "MDMGW_DATA_DIR", "/var/lib/mdmgw",
                "MDMGW_WRITE_QUEUE_CAPACITY", "5000", "MDMGW_SHUTDOWN_GRACE_SECONDS", "40"));
        assertThat(s.mgmtOnHttpPort()).isTrue();
        assertThat(s.dbUrl()).contains("postgresql://u:p@db:5432/mdm");
        assertThat(s.dbPoolMax()).contains(12);
        assertThat(s.topics()).isEqualTo(Set.of("com.apple.mgmt.a", "com.apple.mgmt.b"));
        assertThat(s.maxBodyBytes()).isEqualTo(2048);
        assertThat(s.dataDir()).isEqualTo(Path.of("/var/lib/mdmgw"));
        assertThat(s.writeQueueCapacity()).contains(5000);
        assertThat(s.shutdownGraceSeconds()).isEqualTo(40);
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
