package dev.mdmgw.gateway.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * One admin API route: method, path template ({@code {name}} segments are variables), the name
 * metrics label it with, and the permission an organization's key needs (null: the super-admin
 * key only). The OpenAPI document lists every template (checked by a test).
 */
record AdminRoute(HttpMethod method, String template, String name, String permission, Handler handler) {

    interface Handler {
        Mono<Object> handle(AdminCall call);
    }

    List<String> parts() {
        return List.of(template.substring(1).split("/"));
    }

    /** The variables when {@code segments} fit the template, else null. */
    Map<String, String> match(List<String> segments) {
        List<String> parts = parts();
        if (parts.size() != segments.size()) {
            return null;
        }
        Map<String, String> vars = new HashMap<>(2);
        for (int i = 0; i < parts.size(); i++) {
            String p = parts.get(i);
            if (p.startsWith("{")) {
                vars.put(p.substring(1, p.length() - 1), segments.get(i));
            } else if (!p.equals(segments.get(i))) {
                return null;
            }
        }
        return vars;
    }
}
