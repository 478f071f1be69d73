package org.mirage4j.tcpip.socket;

import dagger.Binds;
import dagger.Module;
import org.mirage4j.api.net.StackV4V6;

/** Wires {@link SocketStack} (the host's sockets) as the {@link StackV4V6}. Needs the runtime key {@code ipv4}. */
@Module
public interface SocketStackModule {

    @Binds
    StackV4V6 stack(SocketStack stack);
}
