package dev.mdmgw.gateway.service;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.util.Base64;

/**
 * An organization's MDM settings, as stored (JSON) and as the admin API takes them:
 * {@code userAuthenticate} ("decline", the default, or "allow") and {@code returnToService}
 * ({@code enabled}, {@code wifiProfileData} and {@code mdmProfileData} as base64, and
 * {@code includeBootstrapToken}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
public record OrganizationSettings(String userAuthenticate, ReturnToServiceSettings returnToService) {

    // Typed reader and writer made at class load: they look up (and cache) their (de)serializers
    // now, since a first lookup takes a lock, and parse() runs on event loops.
    private static final ObjectReader READER = new ObjectMapper().readerFor(OrganizationSettings.class);
    private static final ObjectWriter WRITER = new ObjectMapper().writerFor(OrganizationSettings.class);
    public static final OrganizationSettings DEFAULTS = new OrganizationSettings(null, null);

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReturnToServiceSettings(boolean enabled, String wifiProfileData, String mdmProfileData,
            boolean includeBootstrapToken) {
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
        return s;
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
