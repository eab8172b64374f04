package dev.mdmgw.gateway.service;

import dev.mdmgw.gateway.mdm.MdmTopic;
import java.util.Set;

/**
 * Which APNs topics may check in. Every MDM topic starts with {@code com.apple.mgmt.}; when the
 * operator lists topics, only those. A foreign topic is refused with 403 (not unenrolled).
 */
public final class TopicPolicy {
    private final Set<String> allowed;

    public TopicPolicy(Set<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    public void check(String topic) {
        if (topic == null) {
            return;
        }
        if (!MdmTopic.isValid(topic)) {
            throw new CheckinRejectedException(403, "Topic " + topic + " is not " + MdmTopic.PREFIX + "<suffix>");
        }
        if (!allowed.isEmpty() && !allowed.contains(topic)) {
            throw new CheckinRejectedException(403, "Topic " + topic + " is not served here");
        }
    }
}
