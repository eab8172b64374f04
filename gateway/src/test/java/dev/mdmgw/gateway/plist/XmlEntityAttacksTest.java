package dev.mdmgw.gateway.plist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mdmgw.gateway.mdm.TokenUpdate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DOCTYPE handling and the classic XML attacks: XXE, entity expansion, XInclude, DTD fetching. */
class XmlEntityAttacksTest {
    private static final String BODY = """
            <plist version="1.0">
            <dict>
            	<key>MessageType</key><string>TokenUpdate</string>
            	<key>PushMagic</key><string>%s</string>
            	<key>Token</key><data>AQID</data>
            	<key>Topic</key><string>com.apple.mgmt.External.x</string>
            	<key>UDID</key><string>U1</string>
            </dict>
            </plist>
            """;

    private final CheckinDecoder decoder = new CheckinDecoder();

    private static byte[] withDoctype(String doctype, String pushMagic) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + doctype + "\n" + BODY.formatted(pushMagic))
                .getBytes(StandardCharsets.UTF_8);
    }

    private String rejected(byte[] body) {
        Throwable thrown = catchThrowable(() -> decoder.decode(body));
        assertThat(thrown).isInstanceOf(BadMessageException.class);
        return thrown.getMessage();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">",
        "<!DOCTYPE plist PUBLIC '-//Apple//DTD PLIST 1.0//EN' 'http://www.apple.com/DTDs/PropertyList-1.0.dtd' >",
        "<!DOCTYPE  plist\n\tPUBLIC \"-//Apple//DTD PLIST 1.0//EN\"\n\t\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">",
        "<!DOCTYPE plist PUBLIC \"-//Apple Computer//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">",
        // An empty internal subset declares nothing; the parser reports it as no subset at all.
        "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\" []>",
        ""})
    void applesDoctypeOrNoneIsAccepted(String doctype) throws Exception {
        assertThat(decoder.decode(withDoctype(doctype, "m"))).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<!DOCTYPE plist SYSTEM \"http://evil.example/plist.dtd\">",
        "<!DOCTYPE plist SYSTEM \"file:///etc/passwd\">",
        "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://evil.example/PropertyList-1.0.dtd\">",
        "<!DOCTYPE plist PUBLIC \"-//Evil//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">",
        "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"https://www.apple.com/DTDs/PropertyList-1.0.dtd\">",
        "<!DOCTYPE dict PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">",
        "<!DOCTYPE plist>",
        "<!DOCTYPE html>",
        "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\" "
                + "[<!ATTLIST plist version CDATA \"1.0\">]>",
        "<!DOCTYPE plist [<!ELEMENT plist ANY>]>"})
    void anyOtherDoctypeOrAnInternalSubsetIsRefused(String doctype) {
        assertThat(rejected(withDoctype(doctype, "m"))).startsWith("DOCTYPE must be Apple's plist DTD");
    }

    /**
     * The decoder reuses one StAX reader per thread: after refused, truncated and attacking
     * bodies, the next good one must decode to its own values, and attacks must still be refused.
     */
    @Test
    void aReusedReaderForgetsThePreviousBodyAndKeepsItsDefences() throws Exception {
        String apple = "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">";
        for (int round = 0; round < 3; round++) {
            rejected(withDoctype("<!DOCTYPE plist [<!ENTITY x \"boom\">]>", "&x;"));
            byte[] truncated = withDoctype(apple, "cut");
            rejected(java.util.Arrays.copyOf(truncated, truncated.length / 2));
            rejected(withDoctype("<!DOCTYPE plist SYSTEM \"file:///etc/passwd\">", "m"));
            TokenUpdate good = (TokenUpdate) decoder.decode(withDoctype(apple, "magic-" + round));
            assertThat(good.pushMagic()).isEqualTo("magic-" + round);
        }
    }

    @Test
    void internalEntityDeclarationIsRefusedEvenWithApplesIds() {
        byte[] body = withDoctype("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
                + "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\" [<!ENTITY magic \"injected\">]>", "&magic;");

        assertThat(rejected(body)).startsWith("DOCTYPE must be Apple's plist DTD");
    }

    @Test
    void billionLaughsIsRefusedBeforeAnyExpansion() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE plist [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"")
                    .append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]>");
        long start = System.nanoTime();

        assertThat(rejected(withDoctype(dtd.toString(), "&lol9;"))).startsWith("DOCTYPE must be Apple's plist DTD");
        assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
    }

    @Test
    void externalEntityIsNeverRead() {
        byte[] body = withDoctype("<!DOCTYPE plist [<!ENTITY xxe SYSTEM \"file:///etc/hostname\">]>", "&xxe;");

        assertThat(rejected(body)).startsWith("DOCTYPE must be Apple's plist DTD");
    }

    @Test
    void undeclaredEntityReferenceWithoutDoctype() {
        assertThat(rejected(withDoctype("", "&xxe;"))).startsWith("malformed XML").contains("xxe");
    }

    @Test
    void aPrefixedPlistElementIsNotTheElementItNames() {
        String body = BODY.formatted("m").replace("<plist version=\"1.0\">",
                "<plist version=\"1.0\" xmlns:p=\"urn:example\">")
                .replace("<string>U1</string>", "<p:string>U1</p:string>");

        assertThat(rejected(body.getBytes(StandardCharsets.UTF_8))).isEqualTo("UDID: unsupported element \"p:string\"");
    }

    @Test
    void xincludeIsJustAnUnknownElement() {
        String body = BODY.formatted("m").replace("<plist version=\"1.0\">",
                "<plist version=\"1.0\" xmlns:xi=\"http://www.w3.org/2001/XInclude\">")
                .replace("<string>U1</string>", "<xi:include href=\"file:///etc/hostname\" parse=\"text\"/>");

        assertThat(rejected(body.getBytes(StandardCharsets.UTF_8))).isEqualTo("UDID: unsupported element \"xi:include\"");
    }

    /**
     * Every way an XML body can name a resource, pointed at a local socket: none may connect.
     * Apple's own DTD URL is covered by a ProxySelector that records any HTTP fetch attempt,
     * checked first against a fetch we make ourselves so the probe is known to work.
     */
    @Test
    void noBodyMakesTheDecoderOpenAConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String base = "http://127.0.0.1:" + server.getLocalPort();
            List<byte[]> bodies = List.of(
                    withDoctype("<!DOCTYPE plist SYSTEM \"" + base + "/plist.dtd\">", "m"),
                    withDoctype("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"" + base + "/p.dtd\">", "m"),
                    withDoctype("<!DOCTYPE plist [<!ENTITY % p SYSTEM \"" + base + "/pe.dtd\"> %p;]>", "m"),
                    withDoctype("<!DOCTYPE plist [<!ENTITY e SYSTEM \"" + base + "/e.txt\">]>", "&e;"),
                    BODY.formatted("m").replace("<string>U1</string>",
                            "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"" + base + "/x\"/>")
                            .getBytes(StandardCharsets.UTF_8));
            List<URI> proxied = new ArrayList<>();
            ProxySelector original = ProxySelector.getDefault();
            ProxySelector.setDefault(new RecordingProxySelector(proxied));
            try {
                catchThrowable(() -> new URL(AppleDoctype.SYSTEM_ID).openStream().close());
                assertThat(proxied).as("the probe sees a real fetch attempt").hasSize(1);
                proxied.clear();

                assertThat(decoder.decode(withDoctype("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \""
                        + AppleDoctype.SYSTEM_ID + "\">", "m"))).isNotNull();
                for (byte[] body : bodies) {
                    rejected(body);
                }
            } finally {
                ProxySelector.setDefault(original);
            }

            assertThat(proxied).as("fetch attempts").isEmpty();
            server.setSoTimeout(300);
            assertThatThrownBy(server::accept).as("connections to the local server")
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    private static final class RecordingProxySelector extends ProxySelector {
        private final List<URI> seen;

        RecordingProxySelector(List<URI> seen) {
            this.seen = seen;
        }

        @Override
        public List<Proxy> select(URI uri) {
            seen.add(uri);
            throw new IllegalStateException("network access during a test: " + uri);
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        }
    }
}
