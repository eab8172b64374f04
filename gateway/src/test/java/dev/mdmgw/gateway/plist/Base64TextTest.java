package dev.mdmgw.gateway.plist;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base64TextTest {

    private static byte[] decode(String s) {
        byte[] ascii = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return Base64Text.decode(ascii, ascii.length);
    }

    @Test
    void roundTripsEveryLengthAndPadding() {
        Random random = new Random(1);
        for (int len = 0; len < 200; len++) {
            byte[] bytes = new byte[len];
            random.nextBytes(bytes);
            assertThat(decode(Base64.getEncoder().encodeToString(bytes))).as("length %d", len).isEqualTo(bytes);
        }
    }

    @Test
    void refusesWhatIsNotPaddedStandardBase64() {
        assertThat(decode("QUJD")).containsExactly('A', 'B', 'C');
        assertThat(decode("QUI")).as("missing padding").isNull();
        assertThat(decode("QU==QUJD")).as("padding in the middle").isNull();
        assertThat(decode("Q===")).as("too much padding").isNull();
        assertThat(decode("QU-_")).as("URL-safe alphabet").isNull();
        assertThat(decode("QUJ\u00e9")).as("non-ASCII").isNull();
        assertThat(decode("QUJDRA==xxxx".substring(0, 8))).containsExactly('A', 'B', 'C', 'D');
        assertThat(decode("")).isEmpty();
    }
}
