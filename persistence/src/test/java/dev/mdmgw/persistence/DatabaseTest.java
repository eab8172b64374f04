package dev.mdmgw.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.persistence.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class DatabaseTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestDatabase db;

    @BeforeEach
    void create() {
        db = TestDatabase.create(DatabaseTest.class);
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void openMigratesAnEmptyDatabaseWithOnlyTheIndexesTheCodeUsesAndIsRepeatable() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Database first = Database.open(DatabaseSettings.defaults(db.url()), meters);
        first.shutdown().block(WAIT);
        Database second = Database.open(DatabaseSettings.defaults(db.url()), meters);
        second.shutdown().block(WAIT);

        assertThat(query("SELECT id FROM organizations")).containsExactly("default");
        assertThat(query("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' "
                + "AND tablename IN ('organizations', 'devices', 'enrollments', 'device_certificates') ORDER BY indexname"))
                .containsExactly("device_certificates_current_idx", "device_certificates_pkey",
                        "devices_bootstrap_key_id_idx", "devices_id_write_version_idx", "devices_pkey",
                        "devices_serial_number_idx", "enrollments_device_id_idx", "enrollments_organization_id_idx",
                        "enrollments_pkey", "organizations_pkey");
        assertThat(query("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' "
                + "AND table_name IN ('organizations', 'devices', 'enrollments', 'device_certificates') "
                + "AND data_type LIKE 'timestamp%' AND data_type <> 'timestamp with time zone'")).containsExactly("0");
        assertThat(query("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank"))
                .containsExactly("1", "2", "3", "4", "5", "6", "7");
    }

    @Test
    void poolConnectionsCarryTheApplicationNameAndTheStatementTimeout() {
        DatabaseSettings settings = DatabaseSettings.defaults(db.url()).withStatementTimeout(Duration.ofMillis(1234));
        ConnectionPool pool = Database.createPool(settings);
        try {
            Mono<List<String>> settingsSeen = Mono.usingWhen(pool.create(),
                    c -> Flux.from(c.createStatement(
                                    "SELECT current_setting('application_name') AS a, current_setting('statement_timeout') AS t")
                            .execute())
                            .flatMap(r -> r.map(row -> List.of(row.get("a", String.class), row.get("t", String.class))))
                            .next(),
                    Connection::close);
            StepVerifier.create(settingsSeen)
                    .expectNext(List.of("mdm-gateway", "1234ms"))
                    .expectComplete()
                    .verify(WAIT);
            assertThat(pool.getMetrics().orElseThrow().getMaxAllocatedSize()).isEqualTo(settings.poolMaxSize());
        } finally {
            pool.disposeLater().block(WAIT);
        }
    }

    @Test
    void metersDescribeThePoolAndTheQueue() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DatabaseSettings settings = DatabaseSettings.defaults(db.url()).withPoolMaxSize(3).withWriteQueueCapacity(777);
        Database database = Database.open(settings, meters);
        try {
            StepVerifier.create(database.store().ping()).expectNext(true).expectComplete().verify(WAIT);
            assertThat(meters.get("r2dbc.pool.max.allocated").gauge().value()).isEqualTo(3);
            assertThat(meters.get("r2dbc.pool.idle").gauge().value()).isEqualTo(1);
            assertThat(meters.get("r2dbc.pool.acquired").gauge().value()).isZero();
            assertThat(meters.get("r2dbc.pool.pending").gauge().value()).isZero();
            assertThat(meters.get("mdmgw.write.queue.capacity").gauge().value()).isEqualTo(777);
            assertThat(meters.get("mdmgw.write.queue.depth").gauge().value()).isZero();
            assertThat(database.store().queueCapacity()).isEqualTo(777);
        } finally {
            database.shutdown().block(WAIT);
        }
    }

    private List<String> query(String sql) throws Exception {
        try (java.sql.Connection c = db.jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }
}
