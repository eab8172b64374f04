package dev.mdmgw.persistence.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.persistence.CheckinStore;
import dev.mdmgw.persistence.EnrollmentType;
import dev.mdmgw.persistence.write.AuthenticateWrite;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

@SuppressWarnings("try") // the held lock works by existing
class AuthenticateAndCheckOutTest extends StoreTestSupport {

    private CheckinStore store;

    @BeforeEach
    void openStore() {
        store = open(s -> s.withPoolMaxSize(1)).store();
    }

    @Test
    void authenticateStoresTheDeviceAndADisabledDeviceChannelEnrollment() throws Exception {
        commit(store.authenticate(authenticate(1, "D1")));

        Map<String, Object> device = row("SELECT * FROM devices WHERE id = 'D1'");
        assertThat(device.get("serial_number")).isEqualTo("SERIAL-D1");
        assertThat(device.get("os_version")).isEqualTo("14.4");
        assertThat((byte[]) device.get("identity_certificate")).isEqualTo(bytes("cert-1"));
        assertThat(device.get("authenticated_at")).isNotNull();

        Map<String, Object> channel = enrollment("D1");
        assertThat(channel.get("type")).isEqualTo("Device");
        assertThat(channel.get("device_id")).isEqualTo("D1");
        assertThat(channel.get("enabled")).isEqualTo(false);
        assertThat(channel.get("token")).isNull();
        assertThat(channel.get("token_update_count")).isEqualTo(0L);
    }

    @Test
    void reAuthenticateDisablesEveryEnrollmentOfTheDeviceAndClearsItsSecretsUntilTheNextTokenUpdate() throws Exception {
        commit(store.authenticate(authenticate(1, "D1")));
        commit(store.tokenUpdate(tokenUpdate(2, "D1", bytes("unlock-2"))));
        commit(store.tokenUpdate(tokenUpdate(3, "D1:U1", bytes("user-unlock-3"))));
        update("UPDATE devices SET bootstrap_token = 'escrowed' WHERE id = 'D1'");
        assertThat(enrollment("D1").get("enabled")).isEqualTo(true);
        assertThat(enrollment("D1:U1").get("enabled")).isEqualTo(true);

        commit(store.authenticate(authenticate(4, "D1")));

        for (String id : new String[] {"D1", "D1:U1"}) {
            Map<String, Object> row = enrollment(id);
            assertThat(row.get("enabled")).as(id).isEqualTo(false);
            assertThat(row.get("unlock_token")).as(id).isNull();
            assertThat(row.get("write_version")).as(id).isEqualTo(4L);
        }
        assertThat(row("SELECT bootstrap_token FROM devices WHERE id = 'D1'").get("bootstrap_token")).isNull();
        assertThat((byte[]) row("SELECT identity_certificate FROM devices WHERE id = 'D1'").get("identity_certificate"))
                .isEqualTo(bytes("cert-4"));

        // A TokenUpdate received before the re-Authenticate but stored after it changes nothing...
        commit(store.tokenUpdate(tokenUpdate(3, "D1", bytes("stale-unlock"))));
        assertThat(enrollment("D1").get("enabled")).isEqualTo(false);
        assertThat(enrollment("D1").get("unlock_token")).isNull();

        // ...the next one enables again.
        commit(store.tokenUpdate(tokenUpdate(5, "D1", bytes("unlock-5"))));
        Map<String, Object> row = enrollment("D1");
        assertThat(row.get("enabled")).isEqualTo(true);
        assertThat((byte[]) row.get("unlock_token")).isEqualTo(bytes("unlock-5"));
        assertThat(row.get("token_update_count")).isEqualTo(3L);
    }

    @Test
    void anOlderAuthenticateStoredAfterANewerTokenUpdateDoesNotDisable() throws Exception {
        commit(store.tokenUpdate(tokenUpdate(5, "D1", bytes("unlock-5"))));
        commit(store.authenticate(authenticate(4, "D1")));

        Map<String, Object> row = enrollment("D1");
        assertThat(row.get("enabled")).isEqualTo(true);
        assertThat((byte[]) row.get("unlock_token")).isEqualTo(bytes("unlock-5"));
        assertThat(row.get("write_version")).isEqualTo(5L);
        assertThat(row("SELECT serial_number FROM devices WHERE id = 'D1'").get("serial_number")).isEqualTo("SERIAL-D1");
    }

    @Test
    void anOlderAuthenticateDoesNotOverwriteNewerDeviceFactsAndUnknownFactsKeepTheStoredOnes() throws Exception {
        commit(store.authenticate(authenticate(2, "D1")));
        AuthenticateWrite older = new AuthenticateWrite(1, "D1", EnrollmentType.DEVICE, "default", TOPIC, "OLD-SERIAL",
                null, null, null, null, "13.0", null, null, null, null);
        commit(store.authenticate(older));
        assertThat(row("SELECT serial_number, os_version FROM devices WHERE id = 'D1'"))
                .containsEntry("serial_number", "SERIAL-D1").containsEntry("os_version", "14.4");

        AuthenticateWrite newerButVague = new AuthenticateWrite(3, "D1", EnrollmentType.DEVICE, "default", TOPIC, null,
                null, null, null, null, "15.0", null, null, null, null);
        commit(store.authenticate(newerButVague));
        assertThat(row("SELECT serial_number, os_version, model, write_version FROM devices WHERE id = 'D1'"))
                .containsEntry("serial_number", "SERIAL-D1")
                .containsEntry("os_version", "15.0")
                .containsEntry("model", "MacBookPro18,3")
                .containsEntry("write_version", 3L);
    }

    /** Review: a user channel first stored after the device re-authenticated, by a TokenUpdate sent before. */
    @Test
    void aTokenUpdateOlderThanTheDevicesAuthenticateNeitherEnablesNorStoresItsUnlockToken() throws Exception {
        commit(store.tokenUpdate(tokenUpdate(5, "D7")));
        commit(store.authenticate(authenticate(30, "D7")));

        commit(store.tokenUpdate(tokenUpdate(20, "D7:U1", bytes("stale-unlock-20")))); // inserts the row
        Map<String, Object> row = enrollment("D7:U1");
        assertThat(row.get("enabled")).isEqualTo(false);
        assertThat(row.get("unlock_token")).isNull();
        assertThat(row.get("token_update_count")).isEqualTo(1L);
        assertThat(row.get("push_magic")).as("the newest push data we have").isEqualTo("magic-20");

        commit(store.tokenUpdate(tokenUpdate(25, "D7:U1", bytes("stale-unlock-25")))); // updates it
        row = enrollment("D7:U1");
        assertThat(row.get("enabled")).isEqualTo(false);
        assertThat(row.get("unlock_token")).isNull();
        assertThat(row.get("token_update_count")).isEqualTo(2L);
        assertThat(row.get("push_magic")).isEqualTo("magic-25");

        commit(store.tokenUpdate(tokenUpdate(31, "D7:U1", bytes("unlock-31"))));
        row = enrollment("D7:U1");
        assertThat(row.get("enabled")).isEqualTo(true);
        assertThat((byte[]) row.get("unlock_token")).isEqualTo(bytes("unlock-31"));
        assertThat(row.get("token_update_count")).isEqualTo(3L);
        assertThat(enrollment("D7").get("enabled")).isEqualTo(false);
    }

    @Test
    void authenticateAndTokenUpdateInOneBatchConvergeOnTheNewest() throws Exception {
        try (HeldLock lock = lockEnrollments()) {
            Flux<Void> all = Flux.merge(store.tokenUpdate(tokenUpdate(1, "D0")),
                    store.tokenUpdate(tokenUpdate(6, "D1")), store.authenticate(authenticate(5, "D1")),
                    store.authenticate(authenticate(7, "D2")), store.tokenUpdate(tokenUpdate(6, "D2")));
            StepVerifier.create(all).then(() -> TokenUpdateWriteTest.close(lock)).expectComplete().verify(WAIT);
        }
        assertThat(enrollment("D1").get("enabled")).as("TokenUpdate newer than Authenticate").isEqualTo(true);
        assertThat(enrollment("D2").get("enabled")).as("Authenticate newer than TokenUpdate").isEqualTo(false);
        assertThat(enrollment("D2").get("token_update_count")).isEqualTo(1L);
    }

    @Test
    void deviceChannelCheckOutDisablesEveryEnrollmentOfTheDevice() throws Exception {
        commit(store.tokenUpdate(tokenUpdate(1, "D1")));
        commit(store.tokenUpdate(tokenUpdate(2, "D1:U1")));
        commit(store.tokenUpdate(tokenUpdate(3, "D1:U2")));
        commit(store.tokenUpdate(tokenUpdate(4, "D2")));

        commit(store.checkOut(checkOut(5, "D1", true)));

        assertThat(rows("SELECT id, enabled FROM enrollments ORDER BY id"))
                .extracting(r -> r.get("id") + "=" + r.get("enabled"))
                .containsExactly("D1=false", "D1:U1=false", "D1:U2=false", "D2=true");
    }

    @Test
    void userChannelCheckOutDisablesOnlyThatEnrollmentAndAnOlderCheckOutLosesToANewerTokenUpdate() throws Exception {
        commit(store.tokenUpdate(tokenUpdate(1, "D1")));
        commit(store.tokenUpdate(tokenUpdate(2, "D1:U1")));
        commit(store.checkOut(checkOut(3, "D1:U1", false)));
        assertThat(enrollment("D1:U1").get("enabled")).isEqualTo(false);
        assertThat(enrollment("D1").get("enabled")).isEqualTo(true);

        commit(store.tokenUpdate(tokenUpdate(5, "D1")));
        commit(store.checkOut(checkOut(4, "D1", true)));
        assertThat(enrollment("D1").get("enabled")).as("re-enrolled after the CheckOut was sent").isEqualTo(true);
        assertThat(enrollment("D1:U1").get("write_version")).isEqualTo(4L);
    }

    @Test
    void checkOutOfAnUnknownEnrollmentStoresOnlyADisabledPlaceholder() throws Exception {
        commit(store.checkOut(checkOut(1, "NOBODY", true)));
        assertThat(count("SELECT count(*) FROM enrollments")).isEqualTo(1);
        Map<String, Object> row = enrollment("NOBODY");
        assertThat(row).containsEntry("device_id", "NOBODY").containsEntry("type", "Device")
                .containsEntry("organization_id", "default").containsEntry("topic", TOPIC)
                .containsEntry("enabled", false).containsEntry("token_update_count", 0L)
                .containsEntry("write_version", 1L);
        assertThat(row.get("user_id")).isNull();
        assertThat(row.get("token")).isNull();
        assertThat(count("SELECT count(*) FROM devices")).isZero();
    }

    /** Review: a TokenUpdate sent before a CheckOut of a row not stored yet, stored after it, enabled the row. */
    @Test
    void anOlderTokenUpdateStoredAfterTheCheckOutOfAnUnstoredEnrollmentDoesNotEnableIt() throws Exception {
        commit(store.checkOut(checkOut(20, "D9", true)));
        commit(store.tokenUpdate(tokenUpdate(10, "D9")));
        Map<String, Object> row = enrollment("D9");
        assertThat(row.get("enabled")).isEqualTo(false);
        assertThat(row.get("token_update_count")).as("its count still counts").isEqualTo(1L);
        assertThat(row.get("write_version")).isEqualTo(20L);

        commit(store.checkOut(checkOut(20, "D9:U1", false)));
        commit(store.tokenUpdate(tokenUpdate(10, "D9:U1")));
        row = enrollment("D9:U1");
        assertThat(row.get("enabled")).isEqualTo(false);
        assertThat(row.get("user_id")).isEqualTo("U1");
        assertThat(row.get("type")).isEqualTo("User");
        assertThat(row.get("device_id")).isEqualTo("D9");

        commit(store.tokenUpdate(tokenUpdate(21, "D9")));
        assertThat(enrollment("D9").get("enabled")).as("re-enrolled after the CheckOut").isEqualTo(true);
        assertThat(enrollment("D9").get("token_update_count")).isEqualTo(2L);
    }

    @Test
    void aDeviceChannelCheckOutReachesKnownUsersAndAddsOnlyTheDeviceChannelPlaceholder() throws Exception {
        commit(store.tokenUpdate(tokenUpdate(1, "D8:U1")));
        commit(store.checkOut(checkOut(5, "D8", true)));
        assertThat(rows("SELECT id, enabled, write_version FROM enrollments ORDER BY id"))
                .extracting(r -> r.get("id") + "=" + r.get("enabled") + "@" + r.get("write_version"))
                .containsExactly("D8=false@5", "D8:U1=false@5");
    }

    private static void commit(Mono<Void> write) {
        StepVerifier.create(write).expectComplete().verify(WAIT);
    }
}
