package dev.mdmgw.persistence.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs BlockHound when the test JVM starts, before any test creates a thread: a thread that
 * is already parked inside the JDK when BlockHound instruments it gets flagged wrongly, and the
 * error it throws there corrupts that lock. Registered in META-INF/services for every module's tests.
 */
public final class NoBlockingSession implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        NoBlocking.install();
    }
}
