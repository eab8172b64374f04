package dev.mdmgw.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mdmgw.gateway.identity.TestPki.Ca;
import dev.mdmgw.gateway.identity.TestPki.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceTrustTest {
    private static final int CACHE_SIZE = 100;

    private static Ca root;
    private static Ca intermediate;
    private static Ca secondRoot;
    private static Ca otherCa;
    /** One key for every device certificate: RSA key generation is the slow part. */
    private static KeyPair deviceKey;

    @TempDir
    static Path dir;

    private static Path rootPem;

    @BeforeAll
    static void pki() {
        root = TestPki.rootCa("trust test root");
        intermediate = root.intermediate("trust test intermediate");
        secondRoot = TestPki.rootCa("trust test second root");
        otherCa = TestPki.rootCa("someone else's CA");
        deviceKey = TestPki.rsaKey();
        rootPem = root.writePem(dir, "root.pem");
    }

    @Test
    void aLeafDirectlyUnderTheRootIsTrusted() {
        DeviceTrust trust = DeviceTrust.fromPemBundle(rootPem, CACHE_SIZE);

        assertTrusted(trust, presented(device(root, "direct")));
    }

    @Test
    void aLeafUnderAnIntermediateIsTrustedWhenItBringsTheIntermediate() {
        DeviceTrust trust = DeviceTrust.fromPemBundle(rootPem, CACHE_SIZE);
        Device leaf = device(intermediate, "under intermediate");

        assertThat(leaf.intermediates()).containsExactly(intermediate.certificate());
        assertTrusted(trust, PresentedCertificate.of(leaf.certificate(), leaf.intermediates()));
    }

    @Test
    void aLeafUnderAnIntermediateWithoutTheIntermediateIsUntrusted() {
        DeviceTrust trust = DeviceTrust.fromPemBundle(rootPem, CACHE_SIZE);

        assertRefused(trust, presented(device(intermediate, "alone")), Instant.now(), IdentityFailure.UNTRUSTED);
    }

    @Test
    void aBundleOfTwoRootsTrustsBoth() throws Exception {
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, TestPki.pemOf(root.certificate()) + TestPki.pemOf(secondRoot.certificate()));
        DeviceTrust trust = DeviceTrust.fromPemBundle(bundle, CACHE_SIZE);

        assertTrusted(trust, presented(device(root, "first")));
        assertTrusted(trust, presented(device(secondRoot, "second")));
        assertRefused(trust, presented(device(otherCa, "third")), Instant.now(), IdentityFailure.UNTRUSTED);
    }

    @Test
    void aLeafOfAnotherCaIsUntrusted() {
        DeviceTrust trust = DeviceTrust.fromPemBundle(rootPem, CACHE_SIZE);

        assertRefused(trust, presented(device(otherCa, "stranger")), Instant.now(), IdentityFailure.UNTRUSTED);
    }

    @Test
    void expiredAndNotYetValidLeavesAreExpired() {
        DeviceTrust trust = DeviceTrust.fromPemBundle(rootPem, CACHE_SIZE);
        Instant now = Instant.now();
        Device expired = root.device("expired", deviceKey, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)),
                KeyPurposeId.id_kp_clientAuth);
        Device notYet = root.device("not yet", deviceKey, now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)),
                KeyPurposeId.id_kp_clientAuth);

        assertRefused(trust, presented(expired), now, IdentityFailure.EXPIRED);
        assertRefused(trust, presented(notYet), now, IdentityFailure.EXPIRED);
    }

    @Test
    void anExtendedKeyUsageWithoutClientAuthIsUntrusted() {
        DeviceTrust trust = DeviceTrust.fromPemBundle(rootPem, CACHE_SIZE);
        Device server = device(root, "server only", KeyPurposeId.id_kp_serverAuth);

        IdentityRejectedException e = assertRefused(trust, presented(server), Instant.now(), IdentityFailure.UNTRUSTED);
        assertThat(e.getMessage()).contains("clientAuth");
    }

    @Test
    void noExtendedKeyUsageAtAllIsTrusted() {
        DeviceTrust trust = DeviceTrust.fromPemBundle(rootPem, CACHE_SIZE);
        Device any = device(root, "no eku", null);

        assertThat(any.certificate().getExtension(Extension.extendedKeyUsage)).isNull();
        assertTrusted(trust, presented(any));
    }

    @Test
    void aRememberedChainStillExpiresWithItsLeaf() {
        DeviceTrust trust = DeviceTrust.fromPemBundle(rootPem, CACHE_SIZE);
        Device leaf = device(root, "remembered");
        PresentedCertificate presented = presented(leaf);
        Instant now = Instant.now();
        trust.check(presented, now);
        trust.check(presented, now.plusSeconds(60));

        Instant afterNotAfter = leaf.certificate().getNotAfter().toInstant().plusSeconds(1);
        assertRefused(trust, presented, afterNotAfter, IdentityFailure.EXPIRED);
    }

    @Test
    void aRememberedChainStillExpiresWithItsIntermediate() {
        // The leaf outlives its intermediate (valid 1000 days): past the intermediate, the chain is gone.
        DeviceTrust trust = DeviceTrust.fromPemBundle(rootPem, CACHE_SIZE);
        Instant now = Instant.now();
        Device leaf = intermediate.device("outlives its issuer", deviceKey, now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(2000)), KeyPurposeId.id_kp_clientAuth);
        PresentedCertificate presented = PresentedCertificate.of(leaf.certificate(), leaf.intermediates());
        trust.check(presented, now);

        Instant afterIntermediate = intermediate.certificate().getNotAfter().toInstant().plus(Duration.ofDays(1));
        assertThat(afterIntermediate).isBefore(leaf.certificate().getNotAfter().toInstant());
        // Refused: the remembered chain ends with the intermediate, not with the leaf. The reason is
        // "untrusted" rather than "expired": the JDK's path builder does not say why no path was found.
        IdentityRejectedException e = catchThrowableOfType(IdentityRejectedException.class,
                () -> trust.check(presented, afterIntermediate));
        assertThat(e).as("refusal").isNotNull();
        assertThat(e.failure()).isIn(IdentityFailure.EXPIRED, IdentityFailure.UNTRUSTED);
    }

    @Test
    void aFileThatIsNotPemIsRefusedNamingTheSetting() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not-a-ca.txt"), "this is no certificate\n");

        assertThatThrownBy(() -> DeviceTrust.fromPemBundle(notPem, CACHE_SIZE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MDMGW_DEVICE_CA_FILE")
                .hasMessageContaining(notPem.toString());
    }

    private Device device(Ca issuer, String cn) {
        return device(issuer, cn, KeyPurposeId.id_kp_clientAuth);
    }

    private Device device(Ca issuer, String cn, KeyPurposeId purpose) {
        return issuer.device(cn, deviceKey, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)),
                purpose);
    }

    private static PresentedCertificate presented(Device device) {
        return PresentedCertificate.of(device.certificate(), List.of());
    }

    private static void assertTrusted(DeviceTrust trust, PresentedCertificate presented) {
        assertThatCode(() -> trust.check(presented, Instant.now())).doesNotThrowAnyException();
    }

    private static IdentityRejectedException assertRefused(DeviceTrust trust, PresentedCertificate presented, Instant at,
            IdentityFailure expected) {
        IdentityRejectedException e = catchThrowableOfType(IdentityRejectedException.class, () -> trust.check(presented, at));
        assertThat(e).as("refusal").isNotNull();
        assertThat(e.failure()).isEqualTo(expected);
        return e;
    }
}
