package org.mirage4j.api.time;

import java.time.Instant;
import org.mirage4j.api.Device;

/** The time of day (mirage-clock's {@code PCLOCK}); may jump when the host's clock is set. */
public interface WallClock extends Device {

    /** The current time, UTC. */
    Instant now();
}
