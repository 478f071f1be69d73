package org.mirage4j.api.time;

import org.mirage4j.api.Device;

/** A clock that never goes backwards, for timeouts and measurements (mirage-clock's {@code MCLOCK}). */
public interface MonotonicClock extends Device {

    /** Nanoseconds since an arbitrary origin fixed at connect; never decreases. */
    long elapsedNanos();
}
