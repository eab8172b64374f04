package dev.mdmgw.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresUrlTest {

    @Test
    void parsesAllPartsAndPercentDecodesTheCredentials() {
        PostgresUrl url = PostgresUrl.parse("postgresql://mdm%40gw:p%40ss%3Aw+rd%2F@db.internal:6543/mdm?sslmode=require");
        assertThat(url.host()).isEqualTo("db.internal");
        assertThat(url.port()).isEqualTo(6543);
        assertThat(url.database()).isEqualTo("mdm");
        assertThat(url.user()).isEqualTo("mdm@gw");
        assertThat(url.password()).isEqualTo("p@ss:w+rd/");
        assertThat(url.sslMode()).isEqualTo("require");
    }

    @Test
    void acceptsTheR2dbcFormAndFillsInLibpqDefaults() {
        PostgresUrl url = PostgresUrl.parse("r2dbc:postgresql://app@localhost");
        assertThat(url.port()).isEqualTo(5432);
        assertThat(url.database()).isEqualTo("app");
        assertThat(url.password()).isNull();
        assertThat(url.sslMode()).isEqualTo("disable");
        assertThat(PostgresUrl.parse("postgres://[::1]:5433/x").host()).isEqualTo("::1");
        assertThat(PostgresUrl.parse("postgres://[::1]:5433/x").port()).isEqualTo(5433);
    }

    @Test
    void formatRoundTripsAndToStringHidesThePassword() {
        PostgresUrl url = new PostgresUrl("h", 1, "d b", "u:ser", "s3cr%t/", Map.of("sslmode", "verify-full"));
        assertThat(PostgresUrl.parse(url.format())).isEqualTo(url);
        assertThat(url.toString()).doesNotContain("s3cr");
        assertThat(DatabaseSettings.defaults(url.format()).withMaxQueueWait(Duration.ofSeconds(2)).toString())
                .doesNotContain("s3cr")
                .contains("maxQueueWait=PT2S");
    }

    @Test
    void refusesWhatItWouldOtherwiseIgnore() {
        assertThatThrownBy(() -> PostgresUrl.parse("mysql://x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://h/db?pool=5")).hasMessageContaining("pool");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://h/db?sslmode=maybe")).hasMessageContaining("sslmode");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://h:port/db")).hasMessageContaining("port");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://u:%zz@h/db")).hasMessageContaining("percent");
    }

    @Test
    void defaultsFollowTheMachine() {
        DatabaseSettings s = DatabaseSettings.defaults("postgresql://h/db");
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(s.poolMaxSize()).isEqualTo(Math.max(4, 2 * cores));
        assertThat(s.writeQueueCapacity()).isBetween(1024, 262_144);
        assertThat(s.maxBatchSize()).isEqualTo(256);
        assertThat(s.batchWindow()).isEqualTo(Duration.ofMillis(1));
        assertThat(s.statementTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.maxQueueWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.withMaxQueueWait(Duration.ofMillis(250)).maxQueueWait()).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> s.withMaxQueueWait(Duration.ZERO)).hasMessageContaining("maxQueueWait");
        assertThatThrownBy(() -> s.withMaxQueueWait(Duration.ofMillis(-1))).hasMessageContaining("maxQueueWait");
        assertThatThrownBy(() -> s.withMaxQueueWait(null)).hasMessageContaining("maxQueueWait");
        assertThatThrownBy(() -> s.withPoolMaxSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.withUrl("nonsense")).isInstanceOf(IllegalArgumentException.class);
    }
}
