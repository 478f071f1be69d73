package org.mirage4j.console.log;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.mirage4j.api.Console;

/** A console that keeps the lines logged to it; it has no input, and raw writes are not expected. */
class RecordingConsole implements Console {

    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void log(String line) {
        lines.add(line);
    }

    /** Takes ownership of {@code data} and releases it: log routing never writes raw bytes. */
    @Override
    public void write(ByteBuf data) {
        data.release();
        throw new UnsupportedOperationException("log routing writes lines only");
    }

    @Override
    public ByteBuf read() {
        return null;
    }
}
