package org.mirage4j.skeleton.network;

import io.netty.buffer.ByteBuf;
import jakarta.inject.Inject;
import org.mirage4j.api.Console;
import org.mirage4j.api.Job;
import org.mirage4j.api.Key;
import org.mirage4j.api.net.StackV4V6;

/** Echoes every TCP connection and every UDP datagram on one port back to its sender. */
public final class Dispatch implements Job {

    private final Console console;
    private final StackV4V6 stack;
    private final int port;

    @Inject
    Dispatch(Console console, StackV4V6 stack, @Key("port") int port) {
        this.console = console;
        this.stack = stack;
        this.port = port;
    }

    @Override
    public void start() throws Exception {
        stack.tcp().listen(port, flow -> {
            // Each connection runs on a virtual thread of its own; the stack closes the flow when we return.
            for (ByteBuf data = flow.read(); data != null; data = flow.read()) {
                flow.write(data); // ownership of data passes to the flow
            }
        });
        stack.udp().listen(port, datagram ->
                // The payload is ours; write takes it over, so the echo neither copies nor leaks it.
                stack.udp().write(port, datagram.source(), datagram.sourcePort(), datagram.payload()));
        console.log("network: echoing TCP and UDP on port " + port);
        stack.listen();
    }
}
