package dev.mdmgw.gateway.e2e;

import static dev.mdmgw.gateway.e2e.OrganizationsAndKeysTest.createKey;
import static dev.mdmgw.gateway.e2e.OrganizationsAndKeysTest.createOrg;
import static dev.mdmgw.gateway.e2e.OrganizationsAndKeysTest.error;
import static dev.mdmgw.gateway.e2e.OrganizationsAndKeysTest.ok;
import static dev.mdmgw.gateway.e2e.OrganizationsAndKeysTest.topic;
import static org.assertj.core.api.Assertions.assertThat;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import com.dd.plist.PropertyListParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mdmgw.gateway.Gateway;
import dev.mdmgw.gateway.identity.TestPki;
import dev.mdmgw.persistence.testing.TestDatabase;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enrollment tokens: the Applivery shape, validation, paging, the life cycle through real
 * Authenticate check-ins, the race for one token, and the signed enrollment profile.
 */
class EnrollmentTokensTest {
    private static final String SUPER = "tokens-super-key";
    private static final String PERMISSIONS = "[\"mdm.apple.enrollmentToken.get\", \"mdm.apple.enrollmentToken.list\", "
            + "\"mdm.apple.enrollmentToken.create\", \"mdm.apple.enrollmentToken.delete\", \"mdm.apple.enrollment.get\", "
            + "\"mdm.apple.enrollment.list\", \"mdm.apple.settings.update\"]";
    private static final String HEX = "698f3bde457fafa13d088791";

    @TempDir
    static Path dir;
    private static TestDatabase db;
    private static Gateway gateway;
    private static GatewayClient client;
    private static TestPki.Ca signer;
    private static String org;
    private static String orgTopic;
    private static String key;
    private static String tokens;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        signer = TestPki.rootCa("profile signer");
        Path cert = signer.writePem(dir, "signer.pem");
        Path keyFile = dir.resolve("signer.key");
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
            w.writeObject(signer.key().getPrivate());
        }
        Files.writeString(keyFile, pem.toString());
        gateway = Gateway.start(TestSettings.of(db.url(), SUPER, "MDMGW_PROFILE_SIGNING_CERT_FILE", cert.toString(),
                "MDMGW_PROFILE_SIGNING_KEY_FILE", keyFile.toString()));
        client = new GatewayClient(gateway.httpPort(), gateway.mgmtPort(), SUPER);
        orgTopic = topic();
        org = createOrg(client, SUPER, "Tokens", orgTopic);
        key = createKey(client, SUPER, org, PERMISSIONS);
        tokens = "/v1/organizations/" + org + "/mdm/apple/enterprise/enrollment-tokens";
        ok(client.admin("PUT", "/v1/organizations/" + org + "/mdm/apple/settings", "{\"enrollment\": {\"scep\": "
                + "{\"url\": \"https://scep.example.com/scep\", \"challenge\": \"secret\", \"subject\": \"CN=device,O=Acme\"}}}",
                key));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static JsonNode create(String body) {
        return ok(client.admin("POST", tokens, body, key));
    }

    private static HttpResponse<String> authenticate(String udid, String token, String topic) {
        byte[] body = DevicePlist.authenticate(udid).with("Topic", topic).xml();
        return token == null ? client.checkin(body) : client.checkinWithQuery("token=" + token, body);
    }

    @Test
    void aCreatedTokenHasTheSeedsShape() {
        JsonNode t = create("{\"sendEmail\": true, \"displayName\": \"John Doe - iPhone 15 Pro\", \"tags\": [\"sales\"], "
                + "\"duration\": 3600, \"emailText\": \"Please enroll\", \"policyId\": \"" + HEX + "\", "
                + "\"admPolicyAssignments\": [{\"admPolicyId\": \"" + HEX + "\", \"priority\": 10, \"admPolicy\": {}}], "
                + "\"profiles\": [{\"id\": \"p\", \"name\": \"wifi\"}], \"applications\": [{\"admApplication\": \"" + HEX
                + "\", \"managed\": true, \"managementFlags\": 5, \"action\": \"forceInstall\"}], "
                + "\"admVppLocationId\": \"" + HEX + "\", \"segmentId\": 1, \"mdmUserId\": \"" + HEX + "\", "
                + "\"configuration\": {\"skipPersonalInfo\": true}}");
        List<String> fields = new ArrayList<>();
        t.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("id", "organization", "admEnterprise", "admDevice", "mdmUser", "displayName",
                "tags", "state", "config", "enroll", "type", "subType", "updatedAt", "createdAt", "expireAt",
                "enrollmentLink", "enrollCode", "admPolicy", "admPolicyAssignments", "admVppLocation", "summary",
                "profiles", "applications", "sendEmail", "emailText", "configuration", "segmentId");
        assertThat(t.get("id").asText()).matches("^[a-f0-9]{24}$");
        assertThat(t.get("organization").asText()).isEqualTo(org);
        assertThat(t.get("state").asText()).isEqualTo("PENDING");
        assertThat(t.get("mdmUser").get("id").asText()).isEqualTo(HEX);
        assertThat(t.get("enroll").get("mobileConfigSigned").asBoolean()).isTrue();
        assertThat(t.get("enroll").get("serverExpirationDate").asText()).isEqualTo(t.get("expireAt").asText());
        assertThat(t.get("summary").get("expirationTimestamp").asText()).isEqualTo(t.get("expireAt").asText());
        assertThat(java.time.Duration.between(java.time.Instant.parse(t.get("createdAt").asText()),
                java.time.Instant.parse(t.get("expireAt").asText())).getSeconds()).isBetween(3599L, 3601L);
        assertThat(t.get("enrollmentLink").asText()).isEqualTo("http://localhost:" + gateway.httpPort()
                + "/mdm/enroll/" + t.get("enrollCode").asText());
        assertThat(t.get("enrollCode").asText()).matches("^[2-9A-HJ-NP-Z]{10}$");
        assertThat(t.get("admPolicy").get("id").asText()).isEqualTo(HEX);
        assertThat(t.get("admPolicyAssignments").get(0).get("priority").asInt()).isEqualTo(10);
        assertThat(t.get("admVppLocation").get("id").asText()).isEqualTo(HEX);
        assertThat(t.get("profiles").get(0).get("name").asText()).isEqualTo("wifi");
        assertThat(t.get("applications").get(0).get("action").asText()).isEqualTo("forceInstall");
        assertThat(t.get("configuration").get("skipPersonalInfo").asBoolean()).isTrue();
        assertThat(t.get("segmentId").asInt()).isEqualTo(1);
        assertThat(t.get("tags").get(0).asText()).isEqualTo("sales");

        JsonNode again = ok(client.admin("GET", tokens + "/" + t.get("id").asText(), null, key));
        assertThat(again).isEqualTo(t);

        JsonNode defaults = create("{\"sendEmail\": false}");
        assertThat(java.time.Duration.between(java.time.Instant.parse(defaults.get("createdAt").asText()),
                java.time.Instant.parse(defaults.get("expireAt").asText())).getSeconds()).isBetween(86399L, 86401L);
        assertThat(defaults.get("mdmUser").isNull()).isTrue();
    }

    @Test
    void everyValidationRuleNamesItsField() {
        String[][] cases = {
                {"{}", "sendEmail"},
                {"{\"sendEmail\": \"yes\"}", "sendEmail"},
                {"{\"sendEmail\": true, \"displayName\": \"" + "x".repeat(129) + "\"}", "displayName"},
                {"{\"sendEmail\": true, \"tags\": [\"" + "x".repeat(129) + "\"]}", "tags"},
                {"{\"sendEmail\": true, \"tags\": \"sales\"}", "tags"},
                {"{\"sendEmail\": true, \"duration\": 59}", "duration"},
                {"{\"sendEmail\": true, \"duration\": 2592001}", "duration"},
                {"{\"sendEmail\": true, \"duration\": 60.5}", "duration"},
                {"{\"sendEmail\": true, \"policyId\": \"xyz\"}", "policyId"},
                {"{\"sendEmail\": true, \"mdmUserId\": \"" + HEX + "0\"}", "mdmUserId"},
                {"{\"sendEmail\": true, \"admVppLocationId\": 5}", "admVppLocationId"},
                {"{\"sendEmail\": true, \"admPolicyAssignments\": [{\"priority\": 1}]}", "admPolicyAssignments[].admPolicyId"},
                {"{\"sendEmail\": true, \"admPolicyAssignments\": [{\"admPolicyId\": \"" + HEX + "\"}]}",
                        "admPolicyAssignments[].priority"},
                {"{\"sendEmail\": true, \"admPolicyAssignments\": [{\"admPolicyId\": \"" + HEX + "\", \"priority\": -1}]}",
                        "admPolicyAssignments[].priority"},
                {"{\"sendEmail\": true, \"applications\": [{\"managed\": true}]}", "applications[].admApplication"},
                {"{\"sendEmail\": true, \"applications\": [{\"admApplication\": \"" + HEX + "\", \"action\": \"x\"}]}",
                        "applications[].action"},
                {"{\"sendEmail\": true, \"applications\": [{\"admApplication\": \"" + HEX + "\", \"managementFlags\": 2}]}",
                        "applications[].managementFlags"},
                {"{\"sendEmail\": true, \"profiles\": [1]}", "profiles"},
                {"{\"sendEmail\": true, \"segmentId\": -1}", "segmentId"},
                {"{\"sendEmail\": true, \"configuration\": {\"skipPersonalInfo\": 1}}", "configuration.skipPersonalInfo"},
                {"{\"sendEmail\": true, \"emailText\": 7}", "emailText"},
                {"{\"sendEmail\": true, \"userEmails\": [\"a@b.c\"]}", "userEmails"},
                {"[1]", "body"},
                {"{", "body"}};
        for (String[] c : cases) {
            error(client.admin("POST", tokens, c[0], key), 400, 5001, c[1]);
        }
        error(client.admin("POST", tokens + "/bulk", "{\"sendEmail\": true}", key), 400, 5001, "userEmails");
        error(client.admin("POST", tokens + "/bulk", "{\"sendEmail\": true, \"userEmails\": [\"nobody\"]}", key),
                400, 5001, "userEmails");
        error(client.admin("POST", tokens + "/bulk", "{\"sendEmail\": true, \"userEmails\": [\"a@b.c\"], \"mdmUserId\": \""
                + HEX + "\"}", key), 400, 5001, "mdmUserId");
        error(client.admin("GET", tokens + "/not-an-id", null, key), 400, 5001, "admEnrollmentTokenId");
        error(client.admin("GET", tokens + "/" + "0".repeat(24), null, key), 404, 3001, "Entity not found");
        error(client.admin("DELETE", tokens + "/" + "0".repeat(24), null, key), 404, 3001, "Entity not found");
    }

    @Test
    void listsPageSortAndFilter() {
        String policy = "aaaaaaaaaaaaaaaaaaaaaaaa";
        String user = "bbbbbbbbbbbbbbbbbbbbbbbb";
        String other = "/v1/organizations/" + createOrg(client, SUPER, "Listing", topic()) + "/mdm/apple/enterprise/enrollment-tokens";
        JsonNode bulk = ok(client.admin("POST", other + "/bulk", "{\"sendEmail\": false, \"policyId\": \"" + policy
                + "\", \"userEmails\": [\"a@x.io\", \"b@x.io\", \"c@x.io\"]}", SUPER));
        assertThat(bulk.get("items")).hasSize(3);
        assertThat(bulk.get("items").get(1).get("mdmUser").get("email").asText()).isEqualTo("b@x.io");
        ok(client.admin("POST", other, "{\"sendEmail\": false, \"mdmUserId\": \"" + user + "\", \"displayName\": \"zz\", "
                + "\"admPolicyAssignments\": [{\"admPolicyId\": \"" + policy + "\", \"priority\": 0}]}", SUPER));
        String deleted = ok(client.admin("POST", other, "{\"sendEmail\": false, \"displayName\": \"aa\"}", SUPER))
                .get("id").asText();
        JsonNode gone = ok(client.admin("DELETE", other + "/" + deleted, null, SUPER));
        assertThat(gone.get("state").asText()).isEqualTo("DELETED");

        JsonNode all = ok(client.admin("GET", other, null, SUPER));
        assertThat(all.get("totalDocs").asLong()).isEqualTo(4);
        assertThat(all.get("page").asInt()).isEqualTo(1);
        assertThat(all.get("limit").asInt()).isEqualTo(25);
        assertThat(ok(client.admin("GET", other + "?show-deleted=true", null, SUPER)).get("totalDocs").asLong()).isEqualTo(5);
        assertThat(ok(client.admin("GET", other + "?mdm-user=" + user, null, SUPER)).get("totalDocs").asLong()).isEqualTo(1);
        assertThat(ok(client.admin("GET", other + "?adm-policy=" + policy, null, SUPER)).get("totalDocs").asLong()).isEqualTo(4);

        JsonNode page = ok(client.admin("GET", other + "?page=2&limit=3&sort=createdAt:asc", null, SUPER));
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.get("totalPages").asLong()).isEqualTo(2);
        JsonNode byName = ok(client.admin("GET", other + "?sort=displayName:desc&show-deleted=true", null, SUPER));
        assertThat(byName.get("items").get(0).get("displayName").asText()).isEqualTo("zz");
        assertThat(ok(client.admin("GET", other + "?limit=100000", null, SUPER)).get("limit").asInt()).isEqualTo(500);
        assertThat(ok(client.admin("GET", other + "?page=9", null, SUPER)).get("items")).isEmpty();

        error(client.admin("GET", other + "?page=0", null, SUPER), 400, 5001, "page");
        error(client.admin("GET", other + "?limit=0", null, SUPER), 400, 5001, "limit");
        error(client.admin("GET", other + "?limit=x", null, SUPER), 400, 5001, "limit");
        error(client.admin("GET", other + "?sort=nonsense:asc", null, SUPER), 400, 5001, "sort");
        error(client.admin("GET", other + "?sort=createdAt:sideways", null, SUPER), 400, 5001, "sort");
        error(client.admin("GET", other + "?mdm-user=bob", null, SUPER), 400, 5001, "mdm-user");
        error(client.admin("GET", other + "?adm-policy=1", null, SUPER), 400, 5001, "adm-policy");
        error(client.admin("GET", other + "?show-deleted=maybe", null, SUPER), 400, 5001, "show-deleted");
    }

    @Test
    void aPendingTokenEnrollsOneDeviceIntoItsOrganization() {
        JsonNode t = create("{\"sendEmail\": false}");
        String id = t.get("id").asText();
        String udid = UUID.randomUUID().toString().toUpperCase();
        assertThat(authenticate(udid, id, orgTopic).statusCode()).isEqualTo(200);

        JsonNode done = ok(client.admin("GET", tokens + "/" + id, null, key));
        assertThat(done.get("state").asText()).isEqualTo("DONE");
        assertThat(done.get("admDevice").asText()).isEqualTo(udid);
        JsonNode enrollment = ok(client.admin("GET", "/v1/organizations/" + org + "/mdm/apple/enrollments/" + udid, null, key));
        assertThat(enrollment.get("organization").asText()).isEqualTo(org);
        // The same device again (a retry, a re-installed profile) is let in; another device is not.
        assertThat(authenticate(udid, id, orgTopic).statusCode()).isEqualTo(200);
        assertThat(authenticate(UUID.randomUUID().toString(), id, orgTopic).statusCode()).isEqualTo(403);
        // Later check-ins carry the token in their URL too, and still belong to the organization.
        byte[] update = DevicePlist.tokenUpdate("magic", new byte[32]).with("UDID", udid).with("Topic", orgTopic).xml();
        assertThat(client.checkinWithQuery("token=" + id, update).statusCode()).isEqualTo(200);
        assertThat(ok(client.admin("GET", "/v1/organizations/" + org + "/mdm/apple/enrollments/" + udid, null, key))
                .get("enabled").asBoolean()).isTrue();
        assertThat(db.column("SELECT organization_id FROM enrollments WHERE id = '" + udid + "'")).containsExactly(org);
    }

    @Test
    void expiredDeletedUnknownAndForeignTokensEnrollNobody() {
        String expired = create("{\"sendEmail\": false, \"duration\": 60}").get("id").asText();
        db.column("UPDATE enrollment_tokens SET expire_at = now() - interval '1 second' WHERE id = '" + expired + "' RETURNING id");
        assertThat(ok(client.admin("GET", tokens + "/" + expired, null, key)).get("state").asText()).isEqualTo("EXPIRED");
        String deleted = create("{\"sendEmail\": false}").get("id").asText();
        ok(client.admin("DELETE", tokens + "/" + deleted, null, key));
        String pending = create("{\"sendEmail\": false}").get("id").asText();

        for (String token : List.of(expired, deleted, "0".repeat(24), "not-a-token")) {
            String udid = UUID.randomUUID().toString();
            HttpResponse<String> r = authenticate(udid, token, orgTopic);
            assertThat(r.statusCode()).as("token %s", token).isEqualTo(403);
            assertThat(db.column("SELECT id FROM enrollments WHERE id = '" + udid + "'")).isEmpty();
        }
        // A token of this organization, presented with another organization's topic.
        assertThat(authenticate(UUID.randomUUID().toString(), pending, DevicePlist.TOPIC).statusCode()).isEqualTo(403);
        assertThat(ok(client.admin("GET", tokens + "/" + pending, null, key)).get("state").asText()).isEqualTo("PENDING");
    }

    @Test
    void anOrganizationCanRequireATokenToEnroll() {
        String t = topic();
        String strict = createOrg(client, SUPER, "Strict", t);
        assertThat(authenticate(UUID.randomUUID().toString(), null, t).statusCode()).isEqualTo(200);
        ok(client.admin("PUT", "/v1/organizations/" + strict + "/mdm/apple/settings",
                "{\"enrollment\": {\"requireToken\": true}}", SUPER));
        assertThat(authenticate(UUID.randomUUID().toString(), null, t).statusCode()).isEqualTo(403);
        String token = ok(client.admin("POST", "/v1/organizations/" + strict + "/mdm/apple/enterprise/enrollment-tokens",
                "{\"sendEmail\": false}", SUPER)).get("id").asText();
        assertThat(authenticate(UUID.randomUUID().toString(), token, t).statusCode()).isEqualTo(200);
    }

    @Test
    void twentyDevicesRacingForOneTokenMakeExactlyOneEnrollment() throws Exception {
        String id = create("{\"sendEmail\": false}").get("id").asText();
        List<String> udids = new ArrayList<>();
        List<Callable<Integer>> racers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String udid = UUID.randomUUID().toString().toUpperCase();
            udids.add(udid);
            racers.add(() -> authenticate(udid, id, orgTopic).statusCode());
        }
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Integer> f : pool.invokeAll(racers)) {
                statuses.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(statuses).containsOnly(200, 403);
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
        String winner = udids.get(statuses.indexOf(200));
        assertThat(db.column("SELECT state || ':' || adm_device FROM enrollment_tokens WHERE id = '" + id + "'"))
                .containsExactly("DONE:" + winner);
        assertThat(db.column("SELECT id FROM enrollments WHERE id IN ('" + String.join("','", udids) + "')"))
                .containsExactly(winner);
    }

    @Test
    void theEnrollmentLinkAnswersASignedProfileWithEveryKey() throws Exception {
        JsonNode t = create("{\"sendEmail\": false}");
        HttpResponse<byte[]> r = client.getBytes(t.get("enrollmentLink").asText());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-apple-aspen-config");

        CMSSignedData signed = new CMSSignedData(r.body());
        SignerInformation signerInfo = signed.getSignerInfos().getSigners().iterator().next();
        X509CertificateHolder cert = (X509CertificateHolder) signed.getCertificates().getMatches(signerInfo.getSID())
                .iterator().next();
        assertThat(cert).isEqualTo(signer.certificate());
        assertThat(signerInfo.verify(new JcaSimpleSignerInfoVerifierBuilder().build(cert))).isTrue();

        NSDictionary profile = (NSDictionary) PropertyListParser.parse((byte[]) signed.getSignedContent().getContent());
        assertThat(((NSString) profile.get("PayloadType")).getContent()).isEqualTo("Configuration");
        NSObject[] payloads = ((NSArray) profile.get("PayloadContent")).getArray();
        NSDictionary scep = (NSDictionary) payloads[0];
        NSDictionary mdm = (NSDictionary) payloads[1];
        assertThat(((NSString) scep.get("PayloadType")).getContent()).isEqualTo("com.apple.security.scep");
        NSDictionary scepContent = (NSDictionary) scep.get("PayloadContent");
        assertThat(((NSString) scepContent.get("URL")).getContent()).isEqualTo("https://scep.example.com/scep");
        assertThat(((NSString) scepContent.get("Challenge")).getContent()).isEqualTo("secret");

        assertThat(((NSString) mdm.get("PayloadType")).getContent()).isEqualTo("com.apple.mdm");
        assertThat(mdm.keySet()).contains("ServerURL", "CheckInURL", "Topic", "SignMessage", "ServerCapabilities",
                "AccessRights", "CheckOutWhenRemoved", "IdentityCertificateUUID");
        assertThat(((NSString) mdm.get("CheckInURL")).getContent())
                .isEqualTo("http://localhost:" + gateway.httpPort() + "/mdm/checkin?token=" + t.get("id").asText());
        assertThat(((NSString) mdm.get("Topic")).getContent()).isEqualTo(orgTopic);
        assertThat(((NSNumber) mdm.get("SignMessage")).boolValue()).isTrue();
        assertThat(((NSNumber) mdm.get("CheckOutWhenRemoved")).boolValue()).isTrue();
        assertThat(((NSNumber) mdm.get("AccessRights")).intValue()).isEqualTo(8191);
        assertThat(((NSString) mdm.get("IdentityCertificateUUID")).getContent())
                .isEqualTo(((NSString) scep.get("PayloadUUID")).getContent());
        List<String> capabilities = new ArrayList<>();
        for (NSObject o : ((NSArray) mdm.get("ServerCapabilities")).getArray()) {
            capabilities.add(((NSString) o).getContent());
        }
        assertThat(capabilities).containsExactlyInAnyOrder("com.apple.mdm.per-user-connections",
                "com.apple.mdm.bootstraptoken", "com.apple.mdm.token");
    }

    @Test
    void deletedExpiredAndUnknownLinksAnswer404() {
        JsonNode deleted = create("{\"sendEmail\": false}");
        ok(client.admin("DELETE", tokens + "/" + deleted.get("id").asText(), null, key));
        assertThat(client.getBytes(deleted.get("enrollmentLink").asText()).statusCode()).isEqualTo(404);
        JsonNode expired = create("{\"sendEmail\": false}");
        db.column("UPDATE enrollment_tokens SET expire_at = now() WHERE id = '" + expired.get("id").asText() + "' RETURNING id");
        assertThat(client.getBytes(expired.get("enrollmentLink").asText()).statusCode()).isEqualTo(404);
        String base = "http://127.0.0.1:" + gateway.httpPort() + "/mdm/enroll/";
        assertThat(client.getBytes(base + "ABCDEFGHJK").statusCode()).isEqualTo(404);
        assertThat(client.getBytes(base + "..%2F").statusCode()).isEqualTo(404);
        // An organization without SCEP settings cannot have a profile yet.
        String bare = "/v1/organizations/" + createOrg(client, SUPER, "Bare", topic()) + "/mdm/apple/enterprise/enrollment-tokens";
        JsonNode t = ok(client.admin("POST", bare, "{\"sendEmail\": false}", SUPER));
        assertThat(client.getBytes(t.get("enrollmentLink").asText()).statusCode()).isEqualTo(409);
    }
}
