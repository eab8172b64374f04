package dev.mdmgw.gateway.service.escrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mdmgw.gateway.config.BootstrapKeys;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenSealerTest {
    private static final String K1 = "k1:" + Base64.getEncoder().encodeToString(new byte[32]);
    private static final String K2 = "k2:" + Base64.getEncoder().encodeToString(filled(32, 7));
    private static final byte[] TOKEN = filled(48, 3);

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void sealsWithTheFirstKeyAndOpensWithAnyListedOne() {
        TokenSealer.Sealed sealed = new TokenSealer(BootstrapKeys.parse(K1 + "," + K2)).seal("MAC-1", TOKEN);
        assertThat(sealed.keyId()).isEqualTo("k1");
        assertThat(new TokenSealer(BootstrapKeys.parse(K2 + ", " + K1)).open("MAC-1", "k1", sealed.bytes())).isEqualTo(TOKEN);
    }

    @Test
    void twoSealsOfOneTokenDiffer() {
        TokenSealer sealer = new TokenSealer(BootstrapKeys.parse(K1));
        assertThat(sealer.seal("MAC-1", TOKEN).bytes()).isNotEqualTo(sealer.seal("MAC-1", TOKEN).bytes());
    }

    @Test
    void aSealedTokenOpensForItsOwnDeviceAndKeyOnly() {
        TokenSealer sealer = new TokenSealer(BootstrapKeys.parse(K1 + "," + K2));
        byte[] sealed = sealer.seal("MAC-1", TOKEN).bytes();
        assertThatThrownBy(() -> sealer.open("MAC-2", "k1", sealed)).hasMessageContaining("does not open");
        assertThatThrownBy(() -> sealer.open("MAC-1", "k2", sealed)).hasMessageContaining("does not open");
        sealed[20] ^= 1;
        assertThatThrownBy(() -> sealer.open("MAC-1", "k1", sealed)).hasMessageContaining("does not open");
        assertThatThrownBy(() -> sealer.open("MAC-1", "k9", sealed)).isInstanceOf(TokenSealer.UnknownKeyException.class);
    }

    @Test
    void keysAreParsedStrictly() {
        assertThatThrownBy(() -> BootstrapKeys.parse("")).hasMessageContaining("MDMGW_BOOTSTRAP_KEYS");
        assertThatThrownBy(() -> BootstrapKeys.parse("nokey")).hasMessageContaining("id:base64");
        assertThatThrownBy(() -> BootstrapKeys.parse("k1:!!")).hasMessageContaining("not base64");
        assertThatThrownBy(() -> BootstrapKeys.parse("k1:" + Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("32");
        assertThatThrownBy(() -> BootstrapKeys.parse(K1 + "," + K1)).hasMessageContaining("twice");
        assertThat(BootstrapKeys.parse(K2 + "," + K1).toString()).isEqualTo("BootstrapKeys[k2, k1]").doesNotContain("AAAA");
    }
}
