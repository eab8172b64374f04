package dev.mdmgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.gateway.Gateway;
import dev.mdmgw.persistence.testing.TestDatabase;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * After a short run, {@code /metrics} on the management port shows every family operators are
 * told to watch (README "Metrics"), and the counters moved with the traffic sent.
 */
class MetricsEndToEndTest {
    private static final int WRITES = 20;

    @Test
    void everyFamilyIsExposedAndMovesWithTraffic() {
        try (TestDatabase db = TestDatabase.create(MetricsEndToEndTest.class);
                Gateway gateway = Gateway.start(TestSettings.of(db.url(), null))) {
            GatewayClient client = new GatewayClient(gateway.httpPort(), gateway.mgmtPort(), null);
            PrometheusText before = scrape(client);

            for (int i = 0; i < WRITES; i++) {
                byte[] body = DevicePlist.tokenUpdate("m" + i, new byte[32]).with("UDID", "METRICS-" + i).xml();
                assertThat(client.checkin(body).statusCode()).isEqualTo(200);
            }
            assertThat(client.checkin("not a plist".getBytes()).statusCode()).isEqualTo(400);
            PrometheusText after = scrape(client);

            assertThat(after.names()).contains(
                    // check-ins, with SLO buckets
                    "mdmgw_checkin_requests_seconds_count", "mdmgw_checkin_requests_seconds_bucket",
                    "mdmgw_checkin_shed_total",
                    // the write stream
                    "mdmgw_write_queue_depth", "mdmgw_write_queue_capacity", "mdmgw_write_batch_size_count",
                    "mdmgw_write_batch_duration_seconds_bucket", "mdmgw_write_coalesced_total",
                    "mdmgw_write_retries_total", "mdmgw_write_rejected_total",
                    // identity
                    "mdmgw_identity_failures_total", "mdmgw_device_auth_info",
                    // the pool
                    "r2dbc_pool_acquired", "r2dbc_pool_idle", "r2dbc_pool_pending", "r2dbc_pool_max_allocated",
                    "mdmgw_db_pool_acquire_seconds_bucket",
                    // JVM, GC, process, Netty
                    "jvm_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total", "jvm_threads_live_threads",
                    "process_cpu_usage", "system_cpu_count", "netty_eventexecutor_tasks_pending",
                    "netty_allocator_memory_used", "mdmgw_http_connections", "mdmgw_http_connections_opened_total");

            String tokenUpdate200 = "message_type=\"TokenUpdate\"";
            assertThat(after.sum("mdmgw_checkin_requests_seconds_count", tokenUpdate200, "status=\"200\"")
                    - before.sum("mdmgw_checkin_requests_seconds_count", tokenUpdate200, "status=\"200\""))
                    .isEqualTo(WRITES);
            assertThat(after.sum("mdmgw_checkin_requests_seconds_count", "status=\"400\"")).isEqualTo(1);
            assertThat(after.sum("mdmgw_checkin_requests_seconds_bucket", tokenUpdate200, "status=\"200\"", "le=\"0.25\""))
                    .as("an SLO bucket").isPositive();
            assertThat(after.sum("mdmgw_write_batch_size_sum", "kind=\"token_update\"")
                    - before.sum("mdmgw_write_batch_size_sum", "kind=\"token_update\"")).isEqualTo(WRITES);
            assertThat(after.sum("mdmgw_write_batch_duration_seconds_count", "outcome=\"success\""))
                    .isGreaterThan(before.sum("mdmgw_write_batch_duration_seconds_count", "outcome=\"success\""));
            assertThat(after.sum("mdmgw_db_pool_acquire_seconds_count", "outcome=\"success\""))
                    .isGreaterThan(before.sum("mdmgw_db_pool_acquire_seconds_count", "outcome=\"success\""));
            assertThat(after.sum("mdmgw_http_connections_opened_total", "port=\"device\"")).isPositive();
            assertThat(after.sum("mdmgw_http_connections", "port=\"mgmt\"")).as("this scrape's connection").isPositive();
            assertThat(after.sum("mdmgw_write_queue_capacity")).isPositive();
            assertThat(after.sum("mdmgw_checkin_shed_total")).as("nothing shed").isZero();
        }
    }

    private static PrometheusText scrape(GatewayClient client) {
        HttpResponse<String> r = client.mgmt("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        return new PrometheusText(r.body());
    }
}
