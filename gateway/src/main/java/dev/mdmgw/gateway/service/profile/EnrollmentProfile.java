package dev.mdmgw.gateway.service.profile;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSObject;
import dev.mdmgw.gateway.service.OrganizationSettings;
import dev.mdmgw.gateway.service.org.ScepSubject;
import dev.mdmgw.persistence.org.EnrollmentToken;
import dev.mdmgw.persistence.org.Organization;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * The {@code .mobileconfig} an enrollment link answers: a SCEP payload (the device's identity,
 * from the organization's {@code enrollment.scep} settings) and the MDM payload, whose
 * {@code CheckInURL} carries the token ({@code ?token=<id>}) so the Authenticate can claim it.
 */
public final class EnrollmentProfile {
    public static final String CONTENT_TYPE = "application/x-apple-aspen-config";
    public static final String CHECKIN_PATH = "/mdm/checkin";
    /** Check-ins on the user channel and Set/GetBootstrapToken and GetToken need these listed (README). */
    public static final List<String> CAPABILITIES = List.of("com.apple.mdm.per-user-connections",
            "com.apple.mdm.bootstraptoken", "com.apple.mdm.token");
    private static final int ALL_ACCESS_RIGHTS = 8191;

    /** The organization cannot have a profile yet: no topic, or no SCEP settings. */
    public static final class NotConfiguredException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotConfiguredException(String message) {
            super(message, null, false, false);
        }
    }

    private EnrollmentProfile() {
    }

    /** The profile as an XML plist, unsigned. */
    public static byte[] build(EnrollmentToken token, Organization org, String publicUrl) {
        if (org.topics().isEmpty()) {
            throw new NotConfiguredException("organization " + org.id() + " has no APNs topic");
        }
        OrganizationSettings settings = OrganizationSettings.parse(org.settingsJson());
        OrganizationSettings.EnrollmentSettings enrollment = settings.enrollment();
        if (enrollment == null || enrollment.scep() == null) {
            throw new NotConfiguredException("organization " + org.id() + " has no enrollment.scep settings");
        }
        String prefix = "dev.mdmgw.enroll." + token.id();
        String scepUuid = uuid(token.id() + ":scep");

        NSDictionary scep = new NSDictionary();
        OrganizationSettings.ScepSettings s = enrollment.scep();
        scep.put("URL", s.url());
        if (s.name() != null) {
            scep.put("Name", s.name());
        }
        if (s.challenge() != null) {
            scep.put("Challenge", s.challenge());
        }
        if (s.subject() != null) {
            NSArray rdns = new NSArray(ScepSubject.parse(s.subject()).stream()
                    .map(pair -> new NSArray(new NSArray(NSDictionary.fromJavaObject(pair[0]),
                            NSDictionary.fromJavaObject(pair[1]))))
                    .toArray(NSArray[]::new));
            scep.put("Subject", rdns);
        }
        scep.put("Keysize", s.keySize() == null ? 2048 : s.keySize());
        scep.put("Key Type", "RSA");
        scep.put("Key Usage", s.keyUsage() == null ? 5 : s.keyUsage());
        NSDictionary scepPayload = payload("com.apple.security.scep", prefix + ".scep", scepUuid, "Device identity");
        scepPayload.put("PayloadContent", scep);

        String base = publicUrl;
        NSDictionary mdm = payload("com.apple.mdm", prefix + ".mdm", uuid(token.id() + ":mdm"), "MDM");
        mdm.put("IdentityCertificateUUID", scepUuid);
        mdm.put("Topic", org.topics().get(0));
        mdm.put("ServerURL", enrollment.serverUrl() != null ? enrollment.serverUrl() : base + "/mdm/server");
        mdm.put("CheckInURL", base + CHECKIN_PATH + "?token=" + token.id());
        mdm.put("SignMessage", true);
        mdm.put("CheckOutWhenRemoved", true);
        mdm.put("AccessRights", enrollment.accessRights() == null ? ALL_ACCESS_RIGHTS : enrollment.accessRights());
        mdm.put("ServerCapabilities", new NSArray(CAPABILITIES.stream().map(NSDictionary::fromJavaObject)
                .toArray(NSObject[]::new)));

        NSDictionary root = payload("Configuration", prefix, uuid(token.id()), org.name() + " enrollment");
        root.put("PayloadContent", new NSArray(scepPayload, mdm));
        return root.toXMLPropertyList().getBytes(StandardCharsets.UTF_8);
    }

    private static NSDictionary payload(String type, String identifier, String uuid, String displayName) {
        NSDictionary d = new NSDictionary();
        d.put("PayloadType", type);
        d.put("PayloadVersion", 1);
        d.put("PayloadIdentifier", identifier);
        d.put("PayloadUUID", uuid);
        d.put("PayloadDisplayName", displayName);
        return d;
    }

    /** Stable per token: downloading the profile twice gives the same payloads, which replace each other. */
    private static String uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString().toUpperCase();
    }
}
