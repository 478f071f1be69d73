package org.mirage4j.api.time;

import java.time.Duration;
import org.mirage4j.api.Device;

/** Waiting (mirage-time's {@code sleep_ns}). */
public interface Sleep extends Device {

    /** Blocks the calling virtual thread for at least {@code duration}. */
    void sleep(Duration duration) throws InterruptedException;
}
