package dev.mdmgw.gateway.service;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.mdmgw.gateway.service.org.ScepSubject;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Base64;

/**
 * An organization's MDM settings, as stored (JSON) and as the admin API takes them:
 * {@code userAuthenticate} ("decline", the default, or "allow") and {@code returnToService}
 * ({@code enabled}, {@code wifiProfileData} and {@code mdmProfileData} as base64, and
 * {@code includeBootstrapToken}) and {@code enrollment} ({@code requireToken}: refuse Authenticate
 * without an enrollment token; {@code serverUrl}, {@code accessRights} and {@code scep} for the
 * enrollment profile).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
public record OrganizationSettings(String userAuthenticate, ReturnToServiceSettings returnToService,
        EnrollmentSettings enrollment) {

    // Typed reader and writer made at class load: they look up (and cache) their (de)serializers
    // now, since a first lookup takes a lock, and parse() runs on event loops.
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectReader READER = JSON.readerFor(OrganizationSettings.class);
    private static final ObjectWriter WRITER = JSON.writerFor(OrganizationSettings.class);
    public static final OrganizationSettings DEFAULTS = new OrganizationSettings(null, null, null);

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReturnToServiceSettings(boolean enabled, String wifiProfileData, String mdmProfileData,
            boolean includeBootstrapToken) {
    }

    /**
     * How devices enroll: {@code requireToken} (default false: a device may enroll by topic alone),
     * and what the enrollment profile says: {@code serverUrl} (the MDM command server; default
     * {@code <MDMGW_PUBLIC_URL>/mdm/server}), {@code accessRights} (default 8191, all), {@code scep}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EnrollmentSettings(Boolean requireToken, String serverUrl, Integer accessRights, ScepSettings scep) {
    }

    /**
     * The identity payload of the enrollment profile: the SCEP server's {@code url}, and optionally
     * its {@code challenge}, CA {@code name}, the {@code subject} (e.g. {@code CN=device,O=Acme}),
     * {@code keySize} (default 2048) and {@code keyUsage} (default 5: signing and encryption).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScepSettings(String url, String challenge, String name, String subject, Integer keySize,
            Integer keyUsage) {
    }

    public boolean allowsUsers() {
        return "allow".equals(userAuthenticate);
    }

    /** Parses and validates; the message of the IllegalArgumentException names the field. */
    public static OrganizationSettings parse(String json) {
        OrganizationSettings s;
        try {
            s = READER.readValue(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("settings must be {\"userAuthenticate\": \"allow|decline\", "
                    + "\"returnToService\": {\"enabled\", \"wifiProfileData\", \"mdmProfileData\", \"includeBootstrapToken\"}}");
        }
        if (s == null) {
            return DEFAULTS;
        }
        if (s.userAuthenticate != null && !s.userAuthenticate.equals("allow") && !s.userAuthenticate.equals("decline")) {
            throw new IllegalArgumentException("userAuthenticate must be allow or decline");
        }
        if (s.returnToService != null) {
            base64("returnToService.wifiProfileData", s.returnToService.wifiProfileData);
            base64("returnToService.mdmProfileData", s.returnToService.mdmProfileData);
        }
        if (s.enrollment != null) {
            EnrollmentSettings e = s.enrollment;
            if (e.serverUrl != null) {
                httpUrl("enrollment.serverUrl", e.serverUrl);
            }
            if (e.accessRights != null && (e.accessRights < 1 || e.accessRights > 8191)) {
                throw new IllegalArgumentException("enrollment.accessRights must be 1 to 8191");
            }
            if (e.scep != null) {
                if (e.scep.url == null) {
                    throw new IllegalArgumentException("enrollment.scep.url is required");
                }
                httpUrl("enrollment.scep.url", e.scep.url);
                if (e.scep.keySize != null && e.scep.keySize != 1024 && e.scep.keySize != 2048 && e.scep.keySize != 4096) {
                    throw new IllegalArgumentException("enrollment.scep.keySize must be 1024, 2048 or 4096");
                }
                if (e.scep.subject != null) {
                    ScepSubject.parse(e.scep.subject);
                }
            }
        }
        return s;
    }

    private static void httpUrl(String field, String value) {
        try {
            URI uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException(field + " must be an http(s) URL");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(field + " must be an http(s) URL");
        }
    }

    public String toJson() {
        try {
            return WRITER.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] base64(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " must be base64");
        }
    }
}
