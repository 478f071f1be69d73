package org.mirage4j.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Turns the leak check on for every test of a JUnit Platform session, found through
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener} when test-support is on the test
 * classpath.
 *
 * <p>It runs before any test class is loaded, which is early enough to replace netty's leak detector, and it
 * switches on Jupiter's extension auto-detection so that {@link LeakCheck} (listed in
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension}) runs around every test.
 */
public final class LeakCheckSessionListener implements LauncherSessionListener {

    static final String AUTODETECTION = "junit.jupiter.extensions.autodetection.enabled";

    /** Used by the JUnit Platform's service loader. */
    public LeakCheckSessionListener() {}

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        LeakDetection.install();
        // Jupiter reads configuration parameters it is not given from system properties, at discovery time.
        if (System.getProperty(AUTODETECTION) == null) {
            System.setProperty(AUTODETECTION, "true");
        }
    }
}
