package org.mirage4j.runtime.jdk;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.mirage4j.api.time.Sleep;

/** {@link Thread#sleep(Duration)}: parks only the calling virtual thread. */
@Singleton
final class JdkSleep implements Sleep {

    @Inject
    JdkSleep() {}

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration);
    }
}
