package dev.mdmgw.persistence.org;

import java.time.Instant;
import java.util.List;

/** An organization's API key as listed: never its secret, which only exists at creation. */
public record ApiKey(String id, String organizationId, String name, List<String> permissions, Instant createdAt) {
}
