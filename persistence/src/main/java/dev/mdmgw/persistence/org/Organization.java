package dev.mdmgw.persistence.org;

import java.time.Instant;
import java.util.List;

/** An organization, its APNs topics (sorted) and its settings as stored JSON. */
public record Organization(String id, String name, List<String> topics, String settingsJson, Instant createdAt,
        Instant updatedAt) {
}
