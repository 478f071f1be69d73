package org.mirage4j.api;

import io.netty.buffer.ByteBuf;
import java.io.IOException;

/** A text console: standard output on unix, the serial port on kvm. Safe to use from any thread. */
public interface Console extends Device {

    /** Writes {@code line} and a line break, whole (lines from several threads do not interleave). */
    void log(String line);

    /** Writes the readable bytes of {@code data} as they are. Takes ownership of {@code data}, also when it throws. */
    void write(ByteBuf data) throws IOException;

    /**
     * The next bytes typed at the console, or {@code null} at end of input. The caller owns the
     * buffer and must release it.
     */
    ByteBuf read() throws IOException;
}
