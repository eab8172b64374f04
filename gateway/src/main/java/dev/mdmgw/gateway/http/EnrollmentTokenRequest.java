package dev.mdmgw.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST .../enrollment-tokens} (and {@code /bulk}), checked against the
 * Applivery patterns and limits: each failure names its field (400, code 5001). What passes
 * becomes the token document, the fields kept as given.
 */
final class EnrollmentTokenRequest {
    static final Pattern OBJECT_ID = Pattern.compile("^[a-fA-F0-9]{24}$");
    static final int MIN_DURATION = 60;
    static final int MAX_DURATION = 30 * 24 * 3600;
    static final int DEFAULT_DURATION = 24 * 3600;
    static final int MAX_BULK = 500;
    private static final int MAX_TEXT = 128;
    private static final int MAX_EMAIL_TEXT = 4096;
    private static final int MAX_TAGS = 100;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");
    private static final Set<String> COMMON = Set.of("sendEmail", "displayName", "tags", "duration", "language",
            "emailText", "policyId", "admPolicyAssignments", "profiles", "applications", "admVppLocationId",
            "segmentId", "configuration");
    private static final Set<String> ACTIONS = Set.of("forceInstall", "available", "requiredForSetup");
    private static final Set<Integer> MANAGEMENT_FLAGS = Set.of(0, 1, 4, 5);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One token to make: its document, and the columns filtered on. */
    record Item(String mdmUserId, String admPolicyId, String displayName, ObjectNode document) {
    }

    final int duration;
    final List<Item> items;

    private EnrollmentTokenRequest(int duration, List<Item> items) {
        this.duration = duration;
        this.items = items;
    }

    static EnrollmentTokenRequest parse(JsonNode body, boolean bulk) {
        if (body == null || !body.isObject()) {
            throw invalid("body", "must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!COMMON.contains(name) && !name.equals(bulk ? "userEmails" : "mdmUserId")) {
                throw invalid(name, "is not a field of this request");
            }
        }
        JsonNode sendEmail = body.get("sendEmail");
        if (sendEmail == null || !sendEmail.isBoolean()) {
            throw invalid("sendEmail", "is required and must be a boolean");
        }
        String displayName = text(body, "displayName", MAX_TEXT);
        int duration = DEFAULT_DURATION;
        JsonNode d = body.get("duration");
        if (d != null && !d.isNull()) {
            if (!d.canConvertToInt() || !d.isIntegralNumber() || d.asInt() < MIN_DURATION || d.asInt() > MAX_DURATION) {
                throw invalid("duration", "must be whole seconds from " + MIN_DURATION + " to " + MAX_DURATION);
            }
            duration = d.asInt();
        }
        String policyId = objectId(body, "policyId");
        String vppLocationId = objectId(body, "admVppLocationId");

        ObjectNode doc = NODES.objectNode();
        doc.put("displayName", displayName);
        doc.set("tags", tags(body.get("tags")));
        doc.set("config", NODES.objectNode());
        doc.put("subType", "standard");
        doc.set("admPolicy", policyId == null ? NODES.nullNode() : NODES.objectNode().put("id", policyId));
        doc.set("admPolicyAssignments", policyAssignments(body.get("admPolicyAssignments")));
        doc.set("admVppLocation", vppLocationId == null ? NODES.nullNode() : NODES.objectNode().put("id", vppLocationId));
        doc.set("profiles", objects(body.get("profiles"), "profiles"));
        doc.set("applications", applications(body.get("applications")));
        doc.put("sendEmail", sendEmail.asBoolean());
        doc.put("emailText", text(body, "emailText", MAX_EMAIL_TEXT));
        doc.set("configuration", configuration(body.get("configuration")));
        doc.set("segmentId", segmentId(body.get("segmentId")));
        doc.put("language", text(body, "language", 16));

        List<Item> items = new ArrayList<>();
        if (bulk) {
            JsonNode emails = body.get("userEmails");
            if (emails == null || !emails.isArray() || emails.isEmpty() || emails.size() > MAX_BULK) {
                throw invalid("userEmails", "is required: an array of 1 to " + MAX_BULK + " email addresses");
            }
            for (JsonNode e : emails) {
                if (!e.isTextual() || e.asText().length() > MAX_TEXT || !EMAIL.matcher(e.asText()).matches()) {
                    throw invalid("userEmails", "must hold email addresses of at most " + MAX_TEXT + " characters");
                }
                ObjectNode one = doc.deepCopy();
                one.set("mdmUser", NODES.objectNode().putNull("id").put("email", e.asText()));
                one.put("type", "user");
                items.add(new Item(null, policyId, displayName, one));
            }
        } else {
            String mdmUserId = objectId(body, "mdmUserId");
            doc.set("mdmUser", mdmUserId == null ? NODES.nullNode() : NODES.objectNode().put("id", mdmUserId).putNull("email"));
            doc.put("type", mdmUserId == null ? "device" : "user");
            items.add(new Item(mdmUserId, policyId, displayName, doc));
        }
        return new EnrollmentTokenRequest(duration, items);
    }

    private static String text(JsonNode body, String field, int max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().length() > max) {
            throw invalid(field, "must be text of at most " + max + " characters");
        }
        return v.asText();
    }

    static String objectId(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || !OBJECT_ID.matcher(v.asText()).matches()) {
            throw invalid(field, "must match " + OBJECT_ID.pattern());
        }
        return v.asText();
    }

    private static JsonNode tags(JsonNode tags) {
        if (tags == null || tags.isNull()) {
            return NODES.arrayNode();
        }
        if (!tags.isArray() || tags.size() > MAX_TAGS) {
            throw invalid("tags", "must be an array of at most " + MAX_TAGS + " strings");
        }
        for (JsonNode t : tags) {
            if (!t.isTextual() || t.asText().length() > MAX_TEXT) {
                throw invalid("tags", "must hold strings of at most " + MAX_TEXT + " characters");
            }
        }
        return tags;
    }

    private static JsonNode objects(JsonNode list, String field) {
        if (list == null || list.isNull()) {
            return NODES.arrayNode();
        }
        if (!list.isArray()) {
            throw invalid(field, "must be an array of objects");
        }
        for (JsonNode o : list) {
            if (!o.isObject()) {
                throw invalid(field, "must be an array of objects");
            }
        }
        return list;
    }

    private static JsonNode policyAssignments(JsonNode list) {
        JsonNode checked = objects(list, "admPolicyAssignments");
        for (JsonNode a : checked) {
            objectIdRequired(a, "admPolicyAssignments[].admPolicyId", "admPolicyId");
            JsonNode priority = a.get("priority");
            if (priority == null || !priority.isIntegralNumber() || !priority.canConvertToInt() || priority.asInt() < 0) {
                throw invalid("admPolicyAssignments[].priority", "is required: a whole number of at least 0");
            }
            JsonNode policy = a.get("admPolicy");
            if (policy != null && !policy.isNull() && !policy.isObject()) {
                throw invalid("admPolicyAssignments[].admPolicy", "must be an object");
            }
        }
        return checked;
    }

    private static JsonNode applications(JsonNode list) {
        JsonNode checked = objects(list, "applications");
        for (JsonNode a : checked) {
            objectIdRequired(a, "applications[].admApplication", "admApplication");
            JsonNode action = a.get("action");
            if (action != null && !action.isNull() && (!action.isTextual() || !ACTIONS.contains(action.asText()))) {
                throw invalid("applications[].action", "must be one of " + ACTIONS);
            }
            JsonNode flags = a.get("managementFlags");
            if (flags != null && !flags.isNull() && (!flags.isNumber() || flags.asDouble() != Math.rint(flags.asDouble())
                    || !MANAGEMENT_FLAGS.contains(flags.asInt()))) {
                throw invalid("applications[].managementFlags", "must be one of " + MANAGEMENT_FLAGS);
            }
            for (String flag : List.of("managed", "vpp", "iOSApp")) {
                JsonNode f = a.get(flag);
                if (f != null && !f.isNull() && !f.isBoolean()) {
                    throw invalid("applications[]." + flag, "must be a boolean");
                }
            }
        }
        return checked;
    }

    private static void objectIdRequired(JsonNode node, String name, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || !OBJECT_ID.matcher(v.asText()).matches()) {
            throw invalid(name, "is required and must match " + OBJECT_ID.pattern());
        }
    }

    private static JsonNode configuration(JsonNode c) {
        if (c == null || c.isNull()) {
            return NODES.objectNode().put("skipPersonalInfo", false);
        }
        if (!c.isObject()) {
            throw invalid("configuration", "must be an object");
        }
        JsonNode skip = c.get("skipPersonalInfo");
        if (skip != null && !skip.isNull() && !skip.isBoolean()) {
            throw invalid("configuration.skipPersonalInfo", "must be a boolean");
        }
        return c;
    }

    private static JsonNode segmentId(JsonNode s) {
        if (s == null || s.isNull()) {
            return NODES.nullNode();
        }
        if (!s.isIntegralNumber() || !s.canConvertToLong() || s.asLong() < 0) {
            throw invalid("segmentId", "must be a whole number of at least 0");
        }
        return s;
    }

    private static AdminRejection invalid(String field, String why) {
        return new AdminRejection(AdminError.invalid(field, why));
    }
}
