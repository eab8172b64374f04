package dev.mdmgw.gateway.plist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mdmgw.gateway.mdm.Authenticate;
import dev.mdmgw.gateway.mdm.DeclarativeManagement;
import dev.mdmgw.gateway.mdm.SetBootstrapToken;
import dev.mdmgw.gateway.mdm.TokenUpdate;
import dev.mdmgw.persistence.EnrollmentType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Bodies shaped exactly like what devices send: Apple's DOCTYPE, tabs, base64 wrapped over lines. */
class RealDeviceBodiesTest {
    private final CheckinDecoder decoder = new CheckinDecoder();

    private Object decode(String body) throws BadMessageException {
        return decoder.decode(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void iphoneAuthenticate() throws Exception {
        Authenticate m = (Authenticate) decode("""
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                <plist version="1.0">
                <dict>
                	<key>BuildVersion</key>
                	<string>21F90</string>
                	<key>IMEI</key>
                	<string>35 720710 383516 1</string>
                	<key>MEID</key>
                	<string>35720710383516</string>
                	<key>MessageType</key>
                	<string>Authenticate</string>
                	<key>OSVersion</key>
                	<string>17.5.1</string>
                	<key>ProductName</key>
                	<string>iPhone14,5</string>
                	<key>SerialNumber</key>
                	<string>F2LXK0ABN71P</string>
                	<key>Topic</key>
                	<string>com.apple.mgmt.External.9c1f4b52-2f6e-4a0e-b0f4-3d8a0e2c4d11</string>
                	<key>UDID</key>
                	<string>00008110-000E28D83C52801E</string>
                </dict>
                </plist>
                """);

        assertThat(m.enrollment().id()).isEqualTo("00008110-000E28D83C52801E");
        assertThat(m.productName()).isEqualTo("iPhone14,5");
        assertThat(m.osVersion()).isEqualTo("17.5.1");
        assertThat(m.serialNumber()).isEqualTo("F2LXK0ABN71P");
    }

    @Test
    void iphoneTokenUpdateWithWrappedUnlockToken() throws Exception {
        TokenUpdate m = (TokenUpdate) decode("""
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                <plist version="1.0">
                <dict>
                	<key>AwaitingConfiguration</key>
                	<false/>
                	<key>MessageType</key>
                	<string>TokenUpdate</string>
                	<key>PushMagic</key>
                	<string>7E4B5F0C-1D2A-4C3B-9E8F-0A1B2C3D4E5F</string>
                	<key>Token</key>
                	<data>
                	3q2+796tvu/erb7v3q2+796tvu/erb7v3q2+796tvu8=
                	</data>
                	<key>Topic</key>
                	<string>com.apple.mgmt.External.9c1f4b52-2f6e-4a0e-b0f4-3d8a0e2c4d11</string>
                	<key>UDID</key>
                	<string>00008110-000E28D83C52801E</string>
                	<key>UnlockToken</key>
                	<data>
                	REVBREJFRUZERUFEQkVFRkRFQURCRUVGREVBREJFRUZERUFE
                	QkVFRkRFQURCRUVGREVBREJFRUZERUFEQkVFRkRFQURCRUVG
                	</data>
                </dict>
                </plist>
                """);

        assertThat(m.token()).hasSize(32).startsWith(0xDE, 0xAD, 0xBE, 0xEF);
        assertThat(new String(m.unlockToken(), StandardCharsets.US_ASCII)).startsWith("DEADBEEF").hasSize(72);
        assertThat(m.pushMagic()).isEqualTo("7E4B5F0C-1D2A-4C3B-9E8F-0A1B2C3D4E5F");
    }

    @Test
    void macUserChannelTokenUpdate() throws Exception {
        TokenUpdate m = (TokenUpdate) decode("""
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                <plist version="1.0">
                <dict>
                	<key>MessageType</key>
                	<string>TokenUpdate</string>
                	<key>NotOnConsole</key>
                	<false/>
                	<key>PushMagic</key>
                	<string>A1B2C3D4-0000-1111-2222-333344445555</string>
                	<key>Token</key>
                	<data>
                	AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
                	</data>
                	<key>Topic</key>
                	<string>com.apple.mgmt.External.9c1f4b52-2f6e-4a0e-b0f4-3d8a0e2c4d11</string>
                	<key>UDID</key>
                	<string>0A2B7C1D-0514-57C6-AD62-F72725D09C61</string>
                	<key>UserID</key>
                	<string>099C810D-B371-4729-8369-559BADA24F50</string>
                	<key>UserLongName</key>
                	<string>R&amp;D Lab</string>
                	<key>UserShortName</key>
                	<string>rdlab</string>
                </dict>
                </plist>
                """);

        assertThat(m.enrollment().type()).isEqualTo(EnrollmentType.USER);
        assertThat(m.enrollment().id())
                .isEqualTo("0A2B7C1D-0514-57C6-AD62-F72725D09C61:099C810D-B371-4729-8369-559BADA24F50");
        assertThat(m.enrollment().deviceId()).isEqualTo("0A2B7C1D-0514-57C6-AD62-F72725D09C61");
        assertThat(m.userLongName()).isEqualTo("R&D Lab");
        assertThat(m.notOnConsole()).isFalse();
    }

    @Test
    void sharedIpadUserTokenUpdate() throws Exception {
        TokenUpdate m = (TokenUpdate) decode("""
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                <plist version="1.0">
                <dict>
                	<key>MessageType</key>
                	<string>TokenUpdate</string>
                	<key>PushMagic</key>
                	<string>B0B0B0B0-0000-1111-2222-333344445555</string>
                	<key>Token</key>
                	<data>AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=</data>
                	<key>Topic</key>
                	<string>com.apple.mgmt.External.9c1f4b52-2f6e-4a0e-b0f4-3d8a0e2c4d11</string>
                	<key>UDID</key>
                	<string>00008027-0011223344556677</string>
                	<key>UserID</key>
                	<string>FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF</string>
                	<key>UserShortName</key>
                	<string>pupil42@school.example.org</string>
                </dict>
                </plist>
                """);

        assertThat(m.enrollment().type()).isEqualTo(EnrollmentType.SHARED_IPAD);
        assertThat(m.enrollment().id()).isEqualTo("00008027-0011223344556677:pupil42@school.example.org");
        assertThat(m.enrollment().userId()).isEqualTo("pupil42@school.example.org");
    }

    @Test
    void macSetBootstrapToken() throws Exception {
        byte[] token = new byte[64];
        for (int i = 0; i < token.length; i++) {
            token[i] = (byte) i;
        }
        String b64 = Base64.getMimeEncoder(52, "\n\t".getBytes(StandardCharsets.US_ASCII)).encodeToString(token);
        SetBootstrapToken m = (SetBootstrapToken) decode("""
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                <plist version="1.0">
                <dict>
                	<key>AwaitingConfiguration</key>
                	<true/>
                	<key>BootstrapToken</key>
                	<data>
                	%s
                	</data>
                	<key>MessageType</key>
                	<string>SetBootstrapToken</string>
                	<key>UDID</key>
                	<string>0A2B7C1D-0514-57C6-AD62-F72725D09C61</string>
                </dict>
                </plist>
                """.formatted(b64));

        assertThat(m.bootstrapToken()).isEqualTo(token);
        assertThat(m.awaitingConfiguration()).isTrue();
    }

    @Test
    void declarativeManagementStatusReportWithoutXmlDeclarationOrDoctype() throws Exception {
        DeclarativeManagement m = (DeclarativeManagement) decode("""
                <plist version="1.0"><dict><key>Data</key><data>eyJTdGF0dXNJdGVtcyI6e319</data>\
                <key>Endpoint</key><string>status</string><key>MessageType</key>\
                <string>DeclarativeManagement</string><key>UDID</key><string>55693EB3-DF03-5FD1-9263-F7CDB8AD7FFD</string>\
                </dict></plist>""");

        assertThat(new String(m.data(), StandardCharsets.UTF_8)).isEqualTo("{\"StatusItems\":{}}");
    }

    @Test
    void legacyAppleComputerDoctypeCharacterReferencesCdataAndCommentsAreFine() throws Exception {
        TokenUpdate m = (TokenUpdate) decode("""
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE plist PUBLIC "-//Apple Computer//DTD PLIST 1.0//EN"
                    "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                <plist version="1.0">
                <!-- written by a tool, not a device -->
                <dict>
                	<key>MessageType</key><string>TokenUpdate</string>
                	<key>PushMagic</key><string>m&#65;gic&lt;1&gt;</string>
                	<key>Token</key><data/>
                	<key>Topic</key><string><![CDATA[com.apple.mgmt.External.x]]></string>
                	<key>UDID</key><string>U1</string>
                	<key>UserShortName</key><string></string>
                </dict>
                </plist>
                """.replace("<data/>", "<data>AQ==</data>"));

        assertThat(m.pushMagic()).isEqualTo("mAgic<1>");
        assertThat(m.topic()).isEqualTo("com.apple.mgmt.External.x");
        assertThat(m.token()).containsExactly(1);
        assertThat(m.userShortName()).isEmpty();
    }
}
