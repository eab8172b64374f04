package dev.mdmgw.persistence.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.persistence.CheckinStore;
import dev.mdmgw.persistence.EnrollmentType;
import dev.mdmgw.persistence.read.EnrollmentQuery;
import dev.mdmgw.persistence.read.EnrollmentView;
import dev.mdmgw.persistence.read.PushInfo;
import dev.mdmgw.persistence.write.TokenUpdateWrite;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class ReadsTest extends StoreTestSupport {

    private CheckinStore store;

    /**
     * In "default": D1 (device, enabled, with device facts), D1:U1 (user, enabled), D2 (device,
     * enabled), D3 (device, re-authenticated so disabled), D4:U9 (user, checked out).
     * In "acme": A1 (device, enabled).
     */
    @BeforeEach
    void arrange() throws Exception {
        update("INSERT INTO organizations (id, name) VALUES ('acme', 'Acme')");
        store = store();
        TokenUpdateWrite acme = new TokenUpdateWrite(9, "A1", "A1", null, EnrollmentType.DEVICE, "acme", TOPIC,
                "magic-acme", token(9), null, null, null, false);
        Flux.concat(
                        store.authenticate(authenticate(1, "D1")),
                        store.tokenUpdate(tokenUpdate(2, "D1", bytes("unlock"))),
                        store.tokenUpdate(tokenUpdate(3, "D1")),
                        store.tokenUpdate(tokenUpdate(4, "D1:U1")),
                        store.tokenUpdate(tokenUpdate(5, "D2")),
                        store.tokenUpdate(tokenUpdate(6, "D3")),
                        store.authenticate(authenticate(7, "D3")),
                        store.tokenUpdate(tokenUpdate(8, "D4:U9")),
                        store.checkOut(checkOut(9, "D4:U9", false)),
                        store.tokenUpdate(acme))
                .then()
                .block(WAIT);
    }

    @Test
    void findJoinsTheDeviceFacts() {
        StepVerifier.create(store.findEnrollment("default", "D1"))
                .assertNext(e -> {
                    assertThat(e.id()).isEqualTo("D1");
                    assertThat(e.deviceId()).isEqualTo("D1");
                    assertThat(e.userId()).isNull();
                    assertThat(e.type()).isEqualTo(EnrollmentType.DEVICE);
                    assertThat(e.organizationId()).isEqualTo("default");
                    assertThat(e.topic()).isEqualTo(TOPIC);
                    assertThat(e.pushMagic()).isEqualTo("magic-3");
                    assertThat(e.token()).isEqualTo(token(3));
                    assertThat(e.hasUnlockToken()).isTrue();
                    assertThat(e.enabled()).isTrue();
                    assertThat(e.awaitingConfiguration()).isFalse();
                    assertThat(e.tokenUpdateCount()).isEqualTo(2);
                    assertThat(e.serialNumber()).isEqualTo("SERIAL-D1");
                    assertThat(e.model()).isEqualTo("MacBookPro18,3");
                    assertThat(e.osVersion()).isEqualTo("14.4");
                    assertThat(e.lastSeenAt()).isNotNull().isBefore(Instant.now().plusSeconds(60));
                    assertThat(e.enrolledAt()).isNotNull();
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void findOfAUserChannelWithoutAuthenticateHasNoDeviceFacts() {
        StepVerifier.create(store.findEnrollment("default", "D4:U9"))
                .assertNext(e -> {
                    assertThat(e.type()).isEqualTo(EnrollmentType.USER);
                    assertThat(e.userId()).isEqualTo("U9");
                    assertThat(e.enabled()).isFalse();
                    assertThat(e.hasUnlockToken()).isFalse();
                    assertThat(e.serialNumber()).isNull();
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void findIsEmptyForAnUnknownIdOrAnotherOrganization() {
        StepVerifier.create(store.findEnrollment("default", "NOPE")).expectComplete().verify(WAIT);
        StepVerifier.create(store.findEnrollment("default", "A1")).expectComplete().verify(WAIT);
        StepVerifier.create(store.findEnrollment("acme", "D1")).expectComplete().verify(WAIT);
        StepVerifier.create(store.findEnrollment("acme", "A1")).expectNextCount(1).expectComplete().verify(WAIT);
    }

    @Test
    void listPagesInIdOrderWithTheTotalOfTheWholeListing() {
        assertThat(ids(store.listEnrollments(new EnrollmentQuery("default", 1, 2, null, null))))
                .containsExactly("D1", "D1:U1");
        assertThat(ids(store.listEnrollments(new EnrollmentQuery("default", 2, 2, null, null))))
                .containsExactly("D2", "D3");
        assertThat(ids(store.listEnrollments(new EnrollmentQuery("default", 3, 2, null, null))))
                .containsExactly("D4:U9");
        assertThat(ids(store.listEnrollments(new EnrollmentQuery("default", 4, 2, null, null)))).isEmpty();

        StepVerifier.create(store.listEnrollments(new EnrollmentQuery("default", 2, 2, null, null)))
                .assertNext(page -> {
                    assertThat(page.page()).isEqualTo(2);
                    assertThat(page.limit()).isEqualTo(2);
                    assertThat(page.totalDocs()).isEqualTo(5);
                    assertThat(page.totalPages()).isEqualTo(3);
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void listFiltersByEnabledAndTypeAndCountsTheFilteredListing() {
        assertThat(ids(store.listEnrollments(new EnrollmentQuery("default", 1, 25, true, null))))
                .containsExactly("D1", "D1:U1", "D2");
        assertThat(ids(store.listEnrollments(new EnrollmentQuery("default", 1, 25, false, null))))
                .containsExactly("D3", "D4:U9");
        assertThat(ids(store.listEnrollments(new EnrollmentQuery("default", 1, 25, null, EnrollmentType.USER))))
                .containsExactly("D1:U1", "D4:U9");
        assertThat(ids(store.listEnrollments(new EnrollmentQuery("default", 1, 25, true, EnrollmentType.USER))))
                .containsExactly("D1:U1");
        StepVerifier.create(store.listEnrollments(new EnrollmentQuery("default", 1, 1, false, EnrollmentType.DEVICE)))
                .assertNext(page -> {
                    assertThat(page.items()).extracting(EnrollmentView::id).containsExactly("D3");
                    assertThat(page.totalDocs()).isEqualTo(1);
                })
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(store.listEnrollments(new EnrollmentQuery("acme", 1, 25, null, null)))
                .assertNext(page -> assertThat(page.totalDocs()).isEqualTo(1))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void pushInfoAnswersOnlyEnabledEnrollmentsOfTheOrganizationThatHaveAToken() {
        StepVerifier.create(store.pushInfo("default", List.of("D1", "D1:U1", "D3", "D4:U9", "A1", "NOPE")).collectList())
                .assertNext(infos -> {
                    assertThat(infos).extracting(PushInfo::id).containsExactly("D1", "D1:U1");
                    PushInfo d1 = infos.get(0);
                    assertThat(d1.topic()).isEqualTo(TOPIC);
                    assertThat(d1.pushMagic()).isEqualTo("magic-3");
                    assertThat(d1.token()).isEqualTo(token(3));
                })
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(store.pushInfo("default", List.of())).expectComplete().verify(WAIT);
    }

    @Test
    void pingAnswersTrueWhenTheDatabaseAnswers() {
        StepVerifier.create(store.ping()).expectNext(true).expectComplete().verify(WAIT);
    }

    private static List<String> ids(Mono<dev.mdmgw.persistence.read.Page<EnrollmentView>> page) {
        return page.block(WAIT).items().stream().map(EnrollmentView::id).toList();
    }
}
