package dev.mdmgw.gateway.e2e;

import dev.mdmgw.gateway.config.Settings;
import java.util.HashMap;
import java.util.Map;

/** Settings for a gateway under test, built from environment variables as in production. */
final class TestSettings {
    /** A fixed escrow key, so bootstrap tokens can be escrowed; pass MDMGW_BOOTSTRAP_KEYS "" for none. */
    static final String TEST_BOOTSTRAP_KEY = "test:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private TestSettings() {
    }

    /**
     * Ephemeral ports, the given database and admin key (may be null), no device identity checks
     * (the identity tests turn them on), a bootstrap-token key, plus {@code more} name/value pairs.
     */
    static Settings of(String dbUrl, String adminApiKey, String... more) {
        Map<String, String> env = new HashMap<>();
        env.put("MDMGW_HTTP_PORT", "0");
        env.put("MDMGW_MGMT_PORT", "0");
        env.put("MDMGW_DB_URL", dbUrl);
        env.put("MDMGW_SHUTDOWN_GRACE_SECONDS", "5");
        env.put("MDMGW_DEVICE_AUTH", "none");
        env.put("MDMGW_BOOTSTRAP_KEYS", TEST_BOOTSTRAP_KEY);
        if (adminApiKey != null) {
            env.put("MDMGW_ADMIN_API_KEY", adminApiKey);
        }
        for (int i = 0; i + 1 < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return Settings.from(env);
    }
}
