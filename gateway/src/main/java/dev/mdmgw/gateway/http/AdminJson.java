package dev.mdmgw.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mdmgw.persistence.read.EnrollmentView;
import dev.mdmgw.persistence.read.Page;
import dev.mdmgw.persistence.read.PushInfo;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The admin API's JSON: the {@code {status, data|error}} envelope and the shape of each object. */
final class AdminJson {
    private static final HexFormat HEX = HexFormat.of();
    private final ObjectMapper mapper;

    AdminJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    byte[] ok(Object data) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("status", true);
        envelope.put("data", data);
        return write(envelope);
    }

    byte[] error(AdminError error) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("code", error.code());
        inner.put("message", error.message());
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("status", false);
        envelope.put("error", inner);
        return write(envelope);
    }

    static Map<String, Object> enrollment(EnrollmentView e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("deviceId", e.deviceId());
        m.put("userId", e.userId());
        m.put("type", e.type().code());
        m.put("organization", e.organizationId());
        m.put("topic", e.topic());
        m.put("pushMagic", e.pushMagic());
        m.put("token", e.token() == null ? null : HEX.formatHex(e.token()));
        m.put("hasUnlockToken", e.hasUnlockToken());
        m.put("enabled", e.enabled());
        m.put("awaitingConfiguration", e.awaitingConfiguration());
        m.put("tokenUpdateCount", e.tokenUpdateCount());
        m.put("serialNumber", e.serialNumber());
        m.put("model", e.model());
        m.put("osVersion", e.osVersion());
        m.put("lastSeenAt", iso(e.lastSeenAt()));
        m.put("enrolledAt", iso(e.enrolledAt()));
        return m;
    }

    /** The list shape of CONTRACT.md, each item as {@code item} writes it. */
    static <T> Map<String, Object> page(Page<T> page, Function<T, Object> item) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", page.items().stream().map(item).toList());
        m.put("page", page.page());
        m.put("limit", page.limit());
        m.put("totalDocs", page.totalDocs());
        m.put("totalPages", page.totalPages());
        return m;
    }

    static Map<String, Object> pushInfo(List<PushInfo> infos) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", infos.stream().map(p -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", p.id());
            item.put("topic", p.topic());
            item.put("pushMagic", p.pushMagic());
            item.put("token", HEX.formatHex(p.token()));
            return item;
        }).toList());
        return m;
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    private byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("admin JSON could not be written", e);
        }
    }
}
