package org.mirage4j.tcpip.direct;

import dagger.Binds;
import dagger.Module;
import org.mirage4j.api.net.StackV4V6;

/**
 * Wires {@link DirectStack} (mirage4j's own TCP/IP stack over a {@link org.mirage4j.api.net.Network}) as the
 * {@link StackV4V6}. Needs a Network, a MonotonicClock, a Random, and the runtime keys {@code ipv4} and
 * {@code ipv4-gateway}.
 */
@Module
public interface DirectStackModule {

    @Binds
    StackV4V6 stack(DirectStack stack);
}
