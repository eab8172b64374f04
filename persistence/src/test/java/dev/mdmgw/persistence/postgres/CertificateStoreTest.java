package dev.mdmgw.persistence.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.persistence.identity.BindOutcome;
import dev.mdmgw.persistence.identity.BindOutcome.Result;
import dev.mdmgw.persistence.identity.BoundCertificate;
import dev.mdmgw.persistence.identity.CertificateStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class CertificateStoreTest extends StoreTestSupport {
    private static final Instant NOT_AFTER = Instant.parse("2030-01-01T00:00:00Z");

    private CertificateStore certificates;

    @BeforeEach
    void openStore() {
        certificates = open(s -> s).certificates();
    }

    @Test
    void aNewCertificateBindsAndIsFoundCurrent() {
        StepVerifier.create(certificates.bind(fp("a1"), "A", NOT_AFTER, false))
                .assertNext(o -> {
                    assertThat(o.result()).isEqualTo(Result.BOUND);
                    assertThat(o.replaced()).isEmpty();
                })
                .verifyComplete();
        StepVerifier.create(certificates.find(fp("a1")))
                .expectNext(new BoundCertificate("A", true))
                .verifyComplete();
        StepVerifier.create(certificates.find(fp("never"))).verifyComplete();
    }

    @Test
    void bindingTheSameCertificateAgainChangesNothing() {
        bind("a1", "A", false);
        BindOutcome again = bind("a1", "A", false);
        assertThat(again.result()).isEqualTo(Result.BOUND);
        assertThat(again.replaced()).isEmpty();
    }

    @Test
    void aCertificateOfOneDeviceIsRefusedForAnother() {
        bind("a1", "A", false);
        assertThat(bind("a1", "B", false).result()).isEqualTo(Result.BOUND_ELSEWHERE);
        assertThat(bind("a1", "B", true).result()).isEqualTo(Result.BOUND_ELSEWHERE);
        StepVerifier.create(certificates.find(fp("a1"))).expectNext(new BoundCertificate("A", true)).verifyComplete();
    }

    @Test
    void aNewCertificateReplacesTheOldOneForGood() {
        bind("a1", "A", false);
        BindOutcome renewed = bind("a2", "A", false);
        assertThat(renewed.result()).isEqualTo(Result.BOUND);
        assertThat(renewed.replaced()).containsExactly(fp("a1"));

        StepVerifier.create(certificates.find(fp("a1"))).expectNext(new BoundCertificate("A", false)).verifyComplete();
        StepVerifier.create(certificates.find(fp("a2"))).expectNext(new BoundCertificate("A", true)).verifyComplete();
        // The old certificate cannot take its device back, nor go to another one.
        assertThat(bind("a1", "A", false).result()).isEqualTo(Result.REPLACED);
        assertThat(bind("a1", "B", false).result()).isEqualTo(Result.BOUND_ELSEWHERE);
    }

    @Test
    void retroBindsOnlyAnUnboundDeviceToANeverSeenCertificate() {
        assertThat(bind("a1", "A", true).result()).isEqualTo(Result.BOUND);
        // A is bound now: a second, never-seen certificate does not take it over.
        assertThat(bind("x1", "A", true).result()).isEqualTo(Result.NOT_BOUND);
        StepVerifier.create(certificates.find(fp("x1"))).verifyComplete();
        // A certificate already bound elsewhere is refused for an unbound device.
        assertThat(bind("a1", "B", true).result()).isEqualTo(Result.BOUND_ELSEWHERE);
        StepVerifier.create(certificates.find(fp("a1"))).expectNext(new BoundCertificate("A", true)).verifyComplete();
    }

    @Test
    void devicesRacingForOneCertificateLeaveItWithExactlyOne() throws Exception {
        List<BindOutcome> outcomes = Flux.range(0, 16)
                .flatMap(i -> certificates.bind(fp("contested"), "D" + i, NOT_AFTER, false)
                        .subscribeOn(Schedulers.parallel()))
                .collectList()
                .block(WAIT);
        assertThat(outcomes).filteredOn(BindOutcome::bound).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !o.bound()).allMatch(o -> o.result() == Result.BOUND_ELSEWHERE);
        assertThat(count("SELECT count(*) FROM device_certificates")).isEqualTo(1);
    }

    @Test
    void racingRenewalsLeaveOneCurrentCertificate() throws Exception {
        List<BindOutcome> outcomes = Flux.range(0, 16)
                .flatMap(i -> certificates.bind(fp("renewal-" + i), "A", NOT_AFTER, false)
                        .subscribeOn(Schedulers.parallel()))
                .collectList()
                .block(WAIT);
        assertThat(outcomes).allMatch(BindOutcome::bound);
        assertThat(count("SELECT count(*) FROM device_certificates WHERE device_id = 'A' AND current")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM device_certificates WHERE device_id = 'A'")).isEqualTo(16);
        // Every certificate but the current one was retired by exactly one of the binds.
        assertThat(outcomes.stream().mapToInt(o -> o.replaced().size()).sum()).isEqualTo(15);
    }

    @Test
    void everyGatewayHearsOfAReplacementAsItCommits() {
        CertificateStore elsewhere = open(s -> s).certificates();
        StepVerifier.create(certificates.replacements())
                .assertNext(r -> assertThat(r.resync()).isTrue())
                .then(() -> {
                    elsewhere.bind(fp("a1"), "A", NOT_AFTER, false).block(WAIT);
                    elsewhere.bind(fp("a2"), "A", NOT_AFTER, false).block(WAIT);
                })
                .assertNext(r -> {
                    assertThat(r.resync()).isFalse();
                    assertThat(r.fingerprints()).containsExactly(fp("a1"));
                })
                .thenCancel()
                .verify(WAIT);
    }

    private BindOutcome bind(String cert, String device, boolean retro) {
        return certificates.bind(fp(cert), device, NOT_AFTER, retro).block(WAIT);
    }

    static byte[] fp(String name) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
