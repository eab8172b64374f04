package dev.mdmgw.gateway.http;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/** One admin request as a route's handler sees it: who asks, the path's variables, the query, the body. */
record AdminCall(AdminPrincipal principal, Map<String, String> vars, Map<String, List<String>> query,
        Supplier<Mono<byte[]>> body) {

    String org() {
        return vars.get("org");
    }

    String var(String name) {
        return vars.get(name);
    }
}
