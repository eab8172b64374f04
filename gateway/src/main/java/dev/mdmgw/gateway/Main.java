package dev.mdmgw.gateway;

import dev.mdmgw.gateway.config.DeviceAuth;
import dev.mdmgw.gateway.config.Settings;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Hooks;

/** {@code java -jar mdm-gateway.jar}: boot from the environment, serve until SIGTERM, then drain. */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        Settings settings;
        try {
            settings = Settings.fromEnv();
        } catch (IllegalArgumentException e) {
            System.err.println("mdm-gateway: bad setting: " + e.getMessage());
            System.exit(2);
            return;
        }
        // Errors that arrive after a request was already answered (a request timeout racing the
        // answer, a reset) are expected under real traffic; Reactor would log each one at ERROR.
        Hooks.onErrorDropped(e -> log.debug("error after the answer was sent: {}", e.toString()));
        Gateway gateway = Gateway.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        gateway.closeOnShutdown(() -> {
            stopped.countDown();
            // A JVM stopped by a signal exits 128 + signal (143 for SIGTERM), which orchestrators
            // read as a failure. A drain that committed everything is a success: say 0, else 1.
            Runtime.getRuntime().halt(gateway.drainedCleanly() ? 0 : 1);
        });
        if (settings.identity().mode() == DeviceAuth.TLS) {
            log.info("mdm-gateway listening: devices on https://0.0.0.0:{} (PUT /mdm/checkin, client certificate required), "
                    + "admin API, metrics and health on http://0.0.0.0:{}", gateway.httpPort(), gateway.mgmtPort());
        } else {
            log.info("mdm-gateway listening: devices and admin API on http://0.0.0.0:{} (PUT /mdm/checkin), "
                    + "metrics and health on http://0.0.0.0:{}", gateway.httpPort(), gateway.mgmtPort());
        }
        if (settings.adminApiKey().isEmpty()) {
            log.warn("MDMGW_ADMIN_API_KEY is unset: the admin API is closed");
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
