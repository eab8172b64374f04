package dev.mdmgw.gateway.service.org;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mdmgw.gateway.mdm.MdmTopic;
import dev.mdmgw.gateway.service.CheckinRejectedException;
import dev.mdmgw.gateway.service.OrganizationSettings;
import dev.mdmgw.persistence.org.Organization;
import dev.mdmgw.persistence.org.OrganizationStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Which organization a check-in belongs to, answered from memory so TokenUpdate costs no extra
 * database round trip: every organization's topics and enrollment policy, reloaded every
 * {@link #REFRESH} and updated at once for changes made through this gateway's admin API. An
 * organization created or changed through another gateway is seen here within {@link #REFRESH}.
 *
 * <p>A topic that no organization owns belongs to the default organization when no
 * {@code MDMGW_TOPICS} were given (it then takes any {@code com.apple.mgmt.*} topic), and is
 * refused (403) otherwise.
 */
public final class OrganizationDirectory implements AutoCloseable {
    public static final String DEFAULT_ORGANIZATION = "default";
    public static final Duration REFRESH = Duration.ofSeconds(5);
    public static final Pattern TOKEN_ID = Pattern.compile("^[a-fA-F0-9]{24}$");
    private static final int TOKEN_CACHE_SIZE = 100_000;
    private static final Logger log = LoggerFactory.getLogger(OrganizationDirectory.class);

    private record Snapshot(Map<String, String> topics, Set<String> tokenRequired) {
    }

    private final OrganizationStore store;
    private final boolean defaultTakesAnyTopic;
    /** A token's organization never changes, so it can be kept as long as there is room. */
    private final Cache<String, String> tokenOrganizations = Caffeine.newBuilder().maximumSize(TOKEN_CACHE_SIZE).build();
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Set.of());
    /** Counts local changes: a reload that started before one would undo it, and is dropped. */
    private long changes;
    private Disposable refresher;

    public OrganizationDirectory(OrganizationStore store, boolean defaultTakesAnyTopic) {
        this.store = store;
        this.defaultTakesAnyTopic = defaultTakesAnyTopic;
    }

    /** Loads every organization once (blocking: start-up), then keeps reloading in the background. */
    public OrganizationDirectory start(Duration timeout) {
        load(store.allOrganizations().block(timeout));
        refresher = Flux.interval(REFRESH, REFRESH)
                .onBackpressureDrop()
                .concatMap(tick -> Mono.defer(() -> {
                            long seen = changes();
                            return store.allOrganizations().doOnNext(all -> loadUnlessChangedSince(seen, all));
                        })
                        .onErrorResume(e -> {
                            log.warn("organizations not reloaded, routing on the last known ones: {}", e.toString());
                            return Mono.empty();
                        }))
                .subscribe();
        return this;
    }

    private synchronized long changes() {
        return changes;
    }

    private synchronized void loadUnlessChangedSince(long seen, List<Organization> organizations) {
        if (changes == seen) {
            load(organizations);
        }
    }

    /** Replaces what is known by {@code organizations}, all of them. */
    public synchronized void load(List<Organization> organizations) {
        Map<String, String> topics = new HashMap<>();
        Set<String> tokenRequired = new HashSet<>();
        for (Organization o : organizations) {
            o.topics().forEach(t -> topics.put(t, o.id()));
            if (tokenRequiredBy(o.settingsJson())) {
                tokenRequired.add(o.id());
            }
        }
        snapshot = new Snapshot(Map.copyOf(topics), Set.copyOf(tokenRequired));
    }

    /** Adds or replaces one organization (created or changed through this gateway). */
    public synchronized void put(Organization o) {
        changes++;
        Snapshot s = snapshot;
        Map<String, String> topics = new HashMap<>(s.topics());
        topics.values().removeIf(o.id()::equals);
        o.topics().forEach(t -> topics.put(t, o.id()));
        Set<String> tokenRequired = new HashSet<>(s.tokenRequired());
        if (tokenRequiredBy(o.settingsJson())) {
            tokenRequired.add(o.id());
        } else {
            tokenRequired.remove(o.id());
        }
        snapshot = new Snapshot(Map.copyOf(topics), Set.copyOf(tokenRequired));
    }

    /** The organization of {@code topic}, or a 403 for a topic served by nobody here. */
    public String organizationOfTopic(String topic) {
        if (!MdmTopic.isValid(topic)) {
            throw new CheckinRejectedException(403, "Topic " + topic + " is not " + MdmTopic.PREFIX + "<suffix>");
        }
        String org = snapshot.topics().get(topic);
        if (org != null) {
            return org;
        }
        if (defaultTakesAnyTopic) {
            return DEFAULT_ORGANIZATION;
        }
        throw new CheckinRejectedException(403, "Topic " + topic + " is not served here");
    }

    /** The organization of an enrollment token from the check-in URL; empty when it is unknown. */
    public Mono<String> organizationOfToken(String tokenId) {
        if (tokenId == null || !TOKEN_ID.matcher(tokenId).matches()) {
            return Mono.empty();
        }
        String known = tokenOrganizations.getIfPresent(tokenId);
        if (known != null) {
            return Mono.just(known);
        }
        return store.organizationOfToken(tokenId).doOnNext(org -> tokenOrganizations.put(tokenId, org));
    }

    /** Whether the organization refuses an Authenticate without an enrollment token. */
    public boolean requiresToken(String organizationId) {
        return snapshot.tokenRequired().contains(organizationId);
    }

    private static boolean tokenRequiredBy(String settingsJson) {
        try {
            OrganizationSettings s = OrganizationSettings.parse(settingsJson);
            return s.enrollment() != null && Boolean.TRUE.equals(s.enrollment().requireToken());
        } catch (IllegalArgumentException e) {
            log.warn("organization settings unreadable, token-less enrollment left allowed: {}", e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        if (refresher != null) {
            refresher.dispose();
        }
    }
}
