package dev.mdmgw.gateway.plist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import dev.mdmgw.gateway.mdm.CheckinMessage;
import dev.mdmgw.gateway.plist.Plist.Format;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Broken and hostile bodies: each must end as a BadMessageException (a 400), never anything else. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileBodiesTest {
    private final CheckinDecoder decoder = new CheckinDecoder();

    /** The 400 reason for {@code body}, failing the test on success or on any other throwable. */
    private String rejected(byte[] body) {
        Throwable thrown = catchThrowable(() -> decoder.decode(body));
        assertThat(thrown).as("decoding must fail with BadMessageException").isInstanceOf(BadMessageException.class);
        assertThat(thrown.getMessage()).isNotBlank();
        return thrown.getMessage();
    }

    private String rejected(String body) {
        return rejected(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void emptyAndNullBodies() {
        assertThat(rejected(new byte[0])).isEqualTo("empty body");
        assertThat(rejected((byte[]) null)).isEqualTo("empty body");
        assertThat(rejected("   \n")).startsWith("malformed XML");
    }

    @Test
    void everyTruncationOfAnXmlBody() {
        String xml = Plist.tokenUpdate().with("UnlockToken", Plist.bytes(40, 7)).xmlText();
        int complete = xml.indexOf("</plist>") + "</plist>".length();
        for (int len = 0; len < complete; len++) {
            rejected(xml.substring(0, len));
        }
    }

    @Test
    void everyTruncationOfABinaryBody() {
        byte[] binary = Plist.tokenUpdate().with("UnlockToken", Plist.bytes(40, 7)).binary();
        for (int len = 0; len < binary.length; len++) {
            rejected(java.util.Arrays.copyOf(binary, len));
        }
    }

    @Test
    void garbageBytes() {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            byte[] garbage = new byte[1 + random.nextInt(300)];
            random.nextBytes(garbage);
            rejected(garbage);
            System.arraycopy("bplist00".getBytes(StandardCharsets.US_ASCII), 0, garbage, 0, Math.min(8, garbage.length));
            rejected(garbage);
        }
        assertThat(rejected("bplist15" + "x".repeat(40))).isEqualTo("unsupported binary plist version (only bplist00)");
    }

    /** Random flips, inserts and cuts of valid bodies: whatever comes out, it is a message or a 400. */
    @ParameterizedTest
    @EnumSource(Format.class)
    void mutatedBodiesNeverEscapeAsAnotherException(Format format) {
        byte[] valid = Plist.tokenUpdate().with("UnlockToken", Plist.bytes(20, 3))
                .with("Extra", List.of(Map.of("a", 1L), 2.5, true)).encode(format);
        Random random = new Random(7);
        for (int i = 0; i < 5000; i++) {
            byte[] body = mutate(valid, random);
            try {
                CheckinMessage m = decoder.decode(body);
                assertThat(m).isNotNull();
            } catch (BadMessageException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            } catch (Throwable t) {
                fail("escaped as " + t + " for body " + HexFormat.of().formatHex(body), t);
            }
        }
    }

    private static byte[] mutate(byte[] valid, Random random) {
        byte[] body = valid.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(body.length);
            switch (random.nextInt(3)) {
                case 0 -> body[at] = (byte) random.nextInt(256);
                case 1 -> body[at] ^= (byte) (1 << random.nextInt(8));
                default -> body = java.util.Arrays.copyOf(body, Math.max(1, at));
            }
        }
        return body;
    }

    /** Anything printed per request is a log flood (and a blocking write) a client can trigger at will. */
    @Test
    void hostileBodiesNeverWriteToStdoutOrStderr() {
        java.io.PrintStream out = System.out;
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream capture = new java.io.PrintStream(printed, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            rejected(new byte[] {'<', 'p', (byte) 0xC3, 0x28, '>'}); // invalid UTF-8
            RawBplist raw = new RawBplist();
            int key = raw.ascii("MessageType");
            int bad = raw.next();
            raw.ascii("x"); // placeholder, rewritten below as a length marker with no integer after it
            byte[] body = raw.build(raw.dict(new int[] {key}, new int[] {bad}));
            body[8 + 12] = 0x5F; // "MessageType" is 12 bytes from the header; the next object starts here
            body[8 + 13] = 0x00;
            assertThat(rejected(body)).startsWith("malformed binary plist: bad length");
            mutatedBodiesNeverEscapeAsAnotherException(Format.BINARY);
            mutatedBodiesNeverEscapeAsAnotherException(Format.XML);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void hugeDictionary(Format format) {
        Plist body = Plist.tokenUpdate();
        for (int i = 0; i < 1001; i++) {
            body.with("k" + i, "v");
        }
        assertThat(rejected(body.encode(format))).isEqualTo("a dictionary has more than 1000 keys");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void hugeArray(Format format) {
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            items.add(i);
        }
        assertThat(rejected(Plist.tokenUpdate().with("Extra", items).encode(format)))
                .isEqualTo("an array has more than 1000 items");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void tooManyValuesInTotal(Format format) {
        Plist body = Plist.tokenUpdate();
        for (int i = 0; i < 11; i++) {
            List<Object> items = new ArrayList<>();
            for (int j = 0; j < 1000; j++) {
                items.add(i * 1000 + j);
            }
            body.with("Extra" + i, items);
        }
        // A binary body states its object count up front, so it is refused before parsing.
        assertThat(rejected(body.encode(format))).startsWith(
                format == Format.XML ? "plist has more than 10000 values" : "binary plist declares");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void nestingDeeperThanTheLimit(Format format) {
        Object nested = "leaf";
        for (int i = 0; i < 16; i++) {
            nested = i % 2 == 0 ? List.of(nested) : Map.of("k", nested);
        }
        assertThat(rejected(Plist.tokenUpdate().with("Deep", nested).encode(format)))
                .isEqualTo("plist is nested deeper than 16 levels");
    }

    @Test
    void nestingJustInsideTheLimitIsFine() throws Exception {
        Object nested = "leaf";
        for (int i = 0; i < 14; i++) {
            nested = List.of(nested);
        }
        assertThat(decoder.decode(Plist.tokenUpdate().with("Deep", nested).xml())).isNotNull();
    }

    @Test
    void extremeXmlNestingStopsAtTheLimitWithoutRecursingFurther() {
        String body = Plist.HEADER + "<array>".repeat(200_000) + "</array>".repeat(200_000) + "</plist>";
        assertThat(rejected(body)).isEqualTo("plist is nested deeper than 16 levels");
    }

    @Test
    void extremeBinaryNesting() {
        Object nested = "leaf";
        for (int i = 0; i < 2000; i++) {
            nested = List.of(nested);
        }
        rejected(Plist.binaryOf(Map.of("MessageType", "TokenUpdate", "Deep", nested)));
    }

    @Test
    void binaryObjectThatContainsItself() {
        RawBplist raw = new RawBplist();
        int self = raw.reserve();
        raw.setArray(self, self, self);
        assertThat(rejected(raw.build(self))).startsWith("malformed binary plist");
    }

    @Test
    void binaryCycleThroughTwoArraysBelowTheRootDictionary() {
        RawBplist raw = new RawBplist();
        int a = raw.reserve();
        int b = raw.array(a);
        raw.setArray(a, b);
        int[] keys = {raw.ascii("MessageType"), raw.ascii("Loop")};
        int[] values = {raw.ascii("TokenUpdate"), a};
        assertThat(rejected(raw.build(raw.dict(keys, values)))).startsWith("malformed binary plist");
    }

    /** 14 shared references per level, 8 levels: a few hundred bytes describing 10^9 values. */
    @Test
    void binarySharedSubtreesCannotExpandExponentially() {
        RawBplist raw = new RawBplist();
        int level = raw.ascii("leaf");
        for (int depth = 0; depth < 8; depth++) {
            int[] refs = new int[14];
            java.util.Arrays.fill(refs, level);
            level = raw.array(refs);
        }
        int[] keys = {raw.ascii("MessageType"), raw.ascii("Bomb")};
        int[] values = {raw.ascii("TokenUpdate"), level};
        byte[] body = raw.build(raw.dict(keys, values));

        assertThat(body.length).isLessThan(400);
        assertThat(rejected(body)).isEqualTo("plist has more than 10000 values");
    }

    @Test
    void binaryTrailerThatLiesAboutItsSize() {
        RawBplist raw = new RawBplist();
        int root = raw.dict(new int[] {raw.ascii("MessageType")}, new int[] {raw.ascii("TokenUpdate")});
        assertThat(rejected(raw.build(root, 1L << 40))).startsWith("binary plist declares 1099511627776 objects");
        assertThat(rejected(raw.build(root, -1L))).startsWith("binary plist declares 18446744073709551615 objects");
        assertThat(rejected(raw.build(root, 0))).startsWith("binary plist declares 0 objects");
        assertThat(rejected(raw.build(99))).startsWith("malformed binary plist");
    }

    @Test
    void binaryReferenceBeyondTheObjectTable() {
        RawBplist raw = new RawBplist().refSize(2);
        int root = raw.array(0x7FFF, 1);
        rejected(raw.build(root));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void overlongStringsAndDataAreRefused(Format format) {
        assertThat(rejected(Plist.tokenUpdate().with("Note", "x".repeat(4097)).encode(format)))
                .isEqualTo("Note: string is longer than 4096 characters");
        assertThat(rejected(Plist.tokenUpdate().with("Blob", new byte[(1 << 20) + 1]).encode(format)))
                .isEqualTo("Blob: data is larger than 1048576 bytes");
    }

    @Test
    void xmlStructureViolations() {
        String dict = Plist.HEADER + "<dict>%s</dict></plist>";
        assertThat(rejected(dict.formatted("<key>UDID</key><string>a</string><key>UDID</key><string>b</string>")))
                .isEqualTo("duplicate key UDID");
        assertThat(rejected(dict.formatted("junk<key>a</key><string>b</string>")))
                .isEqualTo("text is not allowed between plist elements");
        assertThat(rejected(dict.formatted("<string>no key</string>")))
                .isEqualTo("<dict> holds <string> where a <key> belongs");
        assertThat(rejected(dict.formatted("<key>a</key>"))).isEqualTo("a: key has no value");
        assertThat(rejected(dict.formatted("<key>a</key><string>x<b/>y</string>")))
                .isEqualTo("a: a text value must not hold <b>");
        assertThat(rejected(dict.formatted("<key>a</key><data>!!!!</data>"))).isEqualTo("a: <data> is not valid base64");
        assertThat(rejected(dict.formatted("<key>a</key><data>QUJD=</data>"))).isEqualTo("a: <data> is not valid base64");
        assertThat(rejected(dict.formatted("<key>a</key><integer>12x</integer>"))).isEqualTo("a: <integer> is malformed");
        assertThat(rejected(dict.formatted("<key>a</key><real>0x1p3</real>"))).isEqualTo("a: <real> is malformed");
        assertThat(rejected(dict.formatted("<key>a</key><date>yesterday</date>")))
                .isEqualTo("a: <date> is not an ISO 8601 UTC time");
        assertThat(rejected(dict.formatted("<key>a</key><true>yes</true>")))
                .isEqualTo("a: <true/> and <false/> must be empty");
        assertThat(rejected(dict.formatted("<key>a</key><object/>"))).isEqualTo("a: unsupported element \"object\"");
        assertThat(rejected(Plist.HEADER + "<dict/><dict/></plist>")).isEqualTo("<plist> must hold exactly one value");
        assertThat(rejected(Plist.HEADER + "</plist>")).isEqualTo("<plist> is empty");
        assertThat(rejected(Plist.HEADER + "<dict/></plist><plist/>")).startsWith("malformed XML");
        assertThat(rejected("<?xml version=\"1.0\"?><dict/>")).isEqualTo("root element must be <plist>");
        assertThat(rejected("<?xml version=\"1.0\"?><plist/>")).isEqualTo("<plist> is empty");
    }

    @Test
    void scalarValuesOfUnknownKeysAreStillChecked() throws Exception {
        String ok = Plist.tokenUpdate().xmlText().replace("</dict>", """
                <key>I</key><integer>0x7f</integer><key>J</key><integer>-42</integer><key>R</key><real>-1.5e3</real><key>N</key><real>nan</real>
                <key>D</key><date>2024-05-01T12:00:00Z</date><key>E</key><dict/><key>A</key><array/>
                <key>S</key><string/><key>B</key><data/><key>Big</key><integer>123456789012345678901234567890</integer>
                </dict>""");
        assertThat(decoder.decode(ok.getBytes(StandardCharsets.UTF_8))).isNotNull();
    }

    @Test
    void utf16EncodedXmlIsFine() throws Exception {
        String xml = Plist.tokenUpdate().xmlText().replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
        assertThat(decoder.decode(xml.getBytes(StandardCharsets.UTF_16))).isNotNull();
    }

    @Test
    void decodingIsSafeFromManyThreadsAtOnce() throws Exception {
        byte[] xml = Plist.tokenUpdate().xml();
        byte[] binary = Plist.tokenUpdate().binary();
        Map<Integer, Throwable> failures = new HashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 2000; i++) {
                        decoder.decode(i % 2 == 0 ? xml : binary);
                        catchThrowable(() -> decoder.decode(Plist.HEADER.getBytes(StandardCharsets.UTF_8)));
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.put(id, e);
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failures).isEmpty();
    }
}
