package dev.mdmgw.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.gateway.identity.TestPki.Ca;
import dev.mdmgw.gateway.mdm.Authenticate;
import dev.mdmgw.gateway.mdm.CheckinMessage;
import dev.mdmgw.gateway.mdm.EnrollmentRef;
import dev.mdmgw.gateway.mdm.GetBootstrapToken;
import dev.mdmgw.gateway.mdm.SetBootstrapToken;
import dev.mdmgw.gateway.mdm.TokenUpdate;
import dev.mdmgw.persistence.Database;
import dev.mdmgw.persistence.DatabaseSettings;
import dev.mdmgw.persistence.identity.BoundCertificate;
import dev.mdmgw.persistence.identity.CertificateStore;
import dev.mdmgw.persistence.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * Certificate-to-device bindings over the real PostgreSQL store. Every test uses devices and
 * certificates of its own, so the tests share one database and need no clean-up between them.
 */
class CertificateBindingsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOPIC = "com.apple.mgmt.External.bindings-test";

    private static TestDatabase db;
    private static Database database;
    private static CertificateStore store;
    private static Ca ca;
    /** One key for every certificate: each certificate still has its own serial, DER and fingerprint. */
    private static KeyPair deviceKey;

    @BeforeAll
    static void setUp() {
        db = TestDatabase.create(CertificateBindingsTest.class);
        DatabaseSettings settings = DatabaseSettings.defaults(db.url());
        Database.migrate(settings);
        database = Database.connect(settings, new SimpleMeterRegistry());
        store = database.certificates();
        ca = TestPki.rootCa("bindings test CA");
        deviceKey = TestPki.rsaKey();
    }

    @AfterAll
    static void tearDown() {
        if (database != null) {
            database.shutdown().block(WAIT);
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void authenticateBindsTheCertificateToItsDevice() {
        CertificateBindings bindings = bindings(false);
        String a = udid();
        PresentedCertificate cert = certificate();

        authorized(bindings, cert, authenticate(a), a);

        StepVerifier.create(store.find(cert.fingerprint().bytes()))
                .expectNext(new BoundCertificate(a, true))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void theBoundCertificateSpeaksForItsDeviceOnly() {
        CertificateBindings bindings = bindings(false);
        String a = udid();
        String b = udid();
        PresentedCertificate cert = certificate();
        authorized(bindings, cert, authenticate(a), a);

        authorized(bindings, cert, tokenUpdate(EnrollmentRef.device(a)), a);
        refused(bindings, cert, tokenUpdate(EnrollmentRef.device(b)), IdentityFailure.BOUND_ELSEWHERE);
        // A user channel uses its device's binding.
        authorized(bindings, cert, tokenUpdate(EnrollmentRef.user(a, "user-1")), a);
        refused(bindings, cert, tokenUpdate(EnrollmentRef.user(b, "user-1")), IdentityFailure.BOUND_ELSEWHERE);

        // The same answers from the store, for a gateway that has not cached the binding.
        CertificateBindings cold = bindings(false);
        refused(cold, cert, tokenUpdate(EnrollmentRef.device(b)), IdentityFailure.BOUND_ELSEWHERE);
        authorized(cold, cert, tokenUpdate(EnrollmentRef.device(a)), a);
    }

    @Test
    void bootstrapTokenMessagesWithoutAnIdSpeakForTheBoundDevice() {
        CertificateBindings bindings = bindings(false);
        String a = udid();
        PresentedCertificate cert = certificate();
        authorized(bindings, cert, authenticate(a), a);

        authorized(bindings, cert, new SetBootstrapToken(null, new byte[] {1, 2, 3}, false), a);
        authorized(bindings, cert, new GetBootstrapToken(null, false), a);
        // From the store as well as from the cache.
        authorized(bindings(false), cert, new GetBootstrapToken(null, false), a);
    }

    @Test
    void renewalRetiresTheOldCertificateAtOnceEvenThoughItWasCached() {
        CertificateBindings bindings = bindings(false);
        String a = udid();
        PresentedCertificate old = certificate();
        PresentedCertificate renewed = certificate();
        authorized(bindings, old, authenticate(a), a);
        authorized(bindings, old, tokenUpdate(EnrollmentRef.device(a)), a);

        authorized(bindings, renewed, authenticate(a), a);

        refused(bindings, old, tokenUpdate(EnrollmentRef.device(a)), IdentityFailure.NOT_BOUND);
        refused(bindings, old, new GetBootstrapToken(null, false), IdentityFailure.NOT_BOUND);
        authorized(bindings, renewed, tokenUpdate(EnrollmentRef.device(a)), a);
        // The retired certificate cannot take its device back, nor go to another one.
        refused(bindings, old, authenticate(a), IdentityFailure.NOT_BOUND);
        refused(bindings, old, authenticate(udid()), IdentityFailure.BOUND_ELSEWHERE);
        authorized(bindings, renewed, tokenUpdate(EnrollmentRef.device(a)), a);
    }

    @Test
    void retroBindsAnUnboundDeviceToANeverSeenCertificateOnly() {
        CertificateBindings bindings = bindings(true);
        String migrated = udid();
        PresentedCertificate first = certificate();

        authorized(bindings, first, tokenUpdate(EnrollmentRef.device(migrated)), migrated);
        StepVerifier.create(store.find(first.fingerprint().bytes()))
                .expectNext(new BoundCertificate(migrated, true))
                .expectComplete()
                .verify(WAIT);
        authorized(bindings, first, tokenUpdate(EnrollmentRef.device(migrated)), migrated);

        // Bound now: a second never-seen certificate does not take the device over, and stays unbound.
        PresentedCertificate second = certificate();
        refused(bindings, second, tokenUpdate(EnrollmentRef.device(migrated)), IdentityFailure.NOT_BOUND);
        StepVerifier.create(store.find(second.fingerprint().bytes())).expectComplete().verify(WAIT);
    }

    @Test
    void retroRefusesACertificateBoundElsewhere() {
        CertificateBindings bindings = bindings(true);
        String a = udid();
        String unbound = udid();
        PresentedCertificate aCert = certificate();
        authorized(bindings, aCert, authenticate(a), a);

        refused(bindings, aCert, tokenUpdate(EnrollmentRef.device(unbound)), IdentityFailure.BOUND_ELSEWHERE);
        refused(bindings(true), aCert, tokenUpdate(EnrollmentRef.device(unbound)), IdentityFailure.BOUND_ELSEWHERE);

        // The refusals bound nothing: the device is still free for a certificate of its own.
        PresentedCertificate own = certificate();
        authorized(bindings, own, tokenUpdate(EnrollmentRef.device(unbound)), unbound);
    }

    @Test
    void retroNeedsTheDeviceNamedInTheBody() {
        PresentedCertificate neverSeen = certificate();

        refused(bindings(true), neverSeen, new GetBootstrapToken(null, false), IdentityFailure.NOT_BOUND);
        StepVerifier.create(store.find(neverSeen.fingerprint().bytes())).expectComplete().verify(WAIT);
    }

    @Test
    void withoutRetroANeverSeenCertificateIsNotBound() {
        PresentedCertificate neverSeen = certificate();

        refused(bindings(false), neverSeen, tokenUpdate(EnrollmentRef.device(udid())), IdentityFailure.NOT_BOUND);
        StepVerifier.create(store.find(neverSeen.fingerprint().bytes())).expectComplete().verify(WAIT);
    }

    private static CertificateBindings bindings(boolean retro) {
        return new CertificateBindings(store, retro, Duration.ofMinutes(10), 1_000);
    }

    private static PresentedCertificate certificate() {
        Instant now = Instant.now();
        return PresentedCertificate.of(ca.device("device", deviceKey, now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(365)), KeyPurposeId.id_kp_clientAuth).certificate(), List.of());
    }

    private static String udid() {
        return UUID.randomUUID().toString().toUpperCase();
    }

    private static Authenticate authenticate(String udid) {
        return new Authenticate(EnrollmentRef.device(udid), TOPIC, "C02TEST", "MacBookPro18,3", "MacBook Pro", "MacBookPro18,3",
                "Test Mac", "14.5", "23F79", null, null);
    }

    private static TokenUpdate tokenUpdate(EnrollmentRef enrollment) {
        return new TokenUpdate(enrollment, TOPIC, new byte[32], "push-magic", null, false, null, null, null);
    }

    private static void authorized(CertificateBindings bindings, PresentedCertificate cert, CheckinMessage message,
            String deviceId) {
        StepVerifier.create(bindings.authorize(cert, message))
                .expectNext(deviceId)
                .expectComplete()
                .verify(WAIT);
    }

    private static void refused(CertificateBindings bindings, PresentedCertificate cert, CheckinMessage message,
            IdentityFailure failure) {
        StepVerifier.create(bindings.authorize(cert, message))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(IdentityRejectedException.class,
                        r -> assertThat(r.failure()).isEqualTo(failure)))
                .verify(WAIT);
    }
}
