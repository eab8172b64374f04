package dev.mdmgw.persistence.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.persistence.CheckinStore;
import dev.mdmgw.persistence.read.SealedBootstrapToken;
import dev.mdmgw.persistence.write.BootstrapTokenWrite;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class BootstrapTokenEscrowTest extends StoreTestSupport {
    private CheckinStore store;

    @BeforeEach
    void openStore() {
        store = store();
    }

    private static BootstrapTokenWrite escrow(long version, String device, String sealed) {
        return new BootstrapTokenWrite(version, device, "default", sealed == null ? null : bytes(sealed),
                sealed == null ? null : "k1");
    }

    private void set(BootstrapTokenWrite w) {
        store.setBootstrapToken(w).block(WAIT);
    }

    @Test
    void anEscrowedTokenIsFoundAndARemovalRemovesIt() {
        store.authenticate(authenticate(1, "D1")).block(WAIT);
        set(escrow(2, "D1", "sealed-2"));
        StepVerifier.create(store.findBootstrapToken("D1"))
                .assertNext(t -> {
                    assertThat(t.keyId()).isEqualTo("k1");
                    assertThat(t.sealedToken()).isEqualTo(bytes("sealed-2"));
                })
                .verifyComplete();

        set(escrow(3, "D1", null));
        StepVerifier.create(store.findBootstrapToken("D1")).verifyComplete();
    }

    @Test
    void aNewerAuthenticateClearsTheEscrowAnOlderOneDoesNot() throws Exception {
        store.authenticate(authenticate(1, "D1")).block(WAIT);
        set(escrow(10, "D1", "sealed-10"));
        // Received before the escrow, committed after it: the escrow stays.
        store.authenticate(authenticate(5, "D1")).block(WAIT);
        assertThat(store.findBootstrapToken("D1").block(WAIT)).isNotNull();

        store.authenticate(authenticate(20, "D1")).block(WAIT);
        StepVerifier.create(store.findBootstrapToken("D1")).verifyComplete();
        assertThat(count("SELECT count(*) FROM devices WHERE id = 'D1' AND bootstrap_key_id IS NULL")).isEqualTo(1);
        // And an escrow sent before that re-enrollment does not come back.
        set(escrow(15, "D1", "sealed-15"));
        StepVerifier.create(store.findBootstrapToken("D1")).verifyComplete();
    }

    @Test
    void theNewestEscrowWinsWhateverTheCommitOrder() {
        set(escrow(30, "D1", "sealed-30"));
        set(escrow(25, "D1", "sealed-25"));
        SealedBootstrapToken t = store.findBootstrapToken("D1").block(WAIT);
        assertThat(t.sealedToken()).isEqualTo(bytes("sealed-30"));
    }

    @Test
    void anEscrowForADeviceNeverSeenIsStoredOnAPlaceholderThatAuthenticateTakesOver() throws Exception {
        set(escrow(7, "MIGRATED", "sealed-7"));
        assertThat(store.findBootstrapToken("MIGRATED").block(WAIT)).isNotNull();
        assertThat(count("SELECT count(*) FROM devices WHERE id = 'MIGRATED' AND write_version = 0")).isEqualTo(1);

        store.authenticate(authenticate(8, "MIGRATED")).block(WAIT);
        StepVerifier.create(store.findBootstrapToken("MIGRATED")).verifyComplete();
        assertThat(count("SELECT count(*) FROM devices WHERE id = 'MIGRATED' AND write_version = 8")).isEqualTo(1);
    }

    private static final String BY_ID = "Index Scan using devices_(pkey|id_write_version_idx) on devices";

    /**
     * Statistics taken before an escrow wave say the partial index on escrowed tokens is empty;
     * a look-up by device must still go by device id (the primary key, or V7's index on id and
     * write_version, which the planner prices the same), not scan every escrowed token.
     */
    @Test
    void lookUpsByDeviceGoByIdWhateverTheStatisticsSay() throws Exception {
        update("ALTER TABLE devices SET (autovacuum_enabled = false)");
        try {
            update("INSERT INTO devices (id, organization_id, topic, write_version) "
                    + "SELECT 'D' || n, 'default', ?, 1 FROM generate_series(1, 5000) n", TOPIC);
            update("ANALYZE devices");
            update("UPDATE devices SET bootstrap_token = '\\x0102', bootstrap_key_id = 'k1'");

            assertThat(plan(BootstrapTokens.FIND, "'D42'")).containsPattern(BY_ID).doesNotContain("devices_bootstrap_key_id_idx");
            assertThat(plan(BootstrapTokens.RESEAL, "'D42'", "'\\x0102'::bytea", "'\\x0304'::bytea", "'k2'"))
                    .containsPattern(BY_ID).doesNotContain("devices_bootstrap_key_id_idx");
            assertThat(store.findBootstrapToken("D42").block(WAIT).sealedToken()).isEqualTo(new byte[] {1, 2});
        } finally {
            update("ALTER TABLE devices RESET (autovacuum_enabled)");
        }
    }
}
