package org.mirage4j.tcpip.direct;

import dagger.Binds;
import dagger.Module;

/**
 * Gives the {@link DirectStack} its address by DHCP (RFC 2131): binds its {@link Ipv4Source} to a DHCP client,
 * which needs a {@link org.mirage4j.api.Random} and the runtime key {@code dhcp-timeout} (a
 * {@link java.time.Duration}: how long the stack's {@code connect()} waits for the first lease). Use it with
 * {@link DirectStackModule}; the alternative is {@link StaticIpv4Module}.
 */
@Module
public interface DhcpIpv4Module {

    @Binds
    Ipv4Source source(DhcpIpv4Source source);
}
