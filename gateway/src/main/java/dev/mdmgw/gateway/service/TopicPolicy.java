package dev.mdmgw.gateway.service;

import java.util.Set;

/**
 * Which APNs topics may check in. Every MDM topic starts with {@code com.apple.mgmt.}; when the
 * operator lists topics, only those. A foreign topic is refused with 403 (not unenrolled).
 */
public final class TopicPolicy {
    public static final String PREFIX = "com.apple.mgmt.";

    private final Set<String> allowed;

    public TopicPolicy(Set<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    public void check(String topic) {
        if (topic == null) {
            return;
        }
        if (!topic.startsWith(PREFIX) || topic.length() == PREFIX.length()) {
            throw new CheckinRejectedException(403, "Topic " + topic + " does not start with " + PREFIX);
        }
        if (!allowed.isEmpty() && !allowed.contains(topic)) {
            throw new CheckinRejectedException(403, "Topic " + topic + " is not served here");
        }
    }
}
