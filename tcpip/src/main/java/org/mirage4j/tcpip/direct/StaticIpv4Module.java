package org.mirage4j.tcpip.direct;

import dagger.Binds;
import dagger.Module;

/**
 * Gives the {@link DirectStack} a fixed address: binds its {@link Ipv4Source} to the runtime keys {@code ipv4}
 * (an {@link org.mirage4j.api.net.Ipv4Prefix} such as {@code 10.0.0.2/24}) and {@code ipv4-gateway} (a string,
 * empty for no gateway). Use it with {@link DirectStackModule}; the alternative is {@link DhcpIpv4Module}.
 */
@Module
public interface StaticIpv4Module {

    @Binds
    Ipv4Source source(StaticIpv4Source source);
}
