package org.mirage4j.skeleton.network;

import org.mirage4j.config.Mirage;
import org.mirage4j.config.MirageConfig;
import org.mirage4j.config.Unikernel;

/**
 * A TCP/IP stack (host sockets on unix by default; {@code -Dmirage.net=direct} for mirage4j's own
 * stack on a tap device) and the port to echo on.
 */
public final class Config implements MirageConfig {

    @Override
    public Unikernel configure(Mirage m) {
        var stack = m.genericStackV4V6(m.defaultNetwork());
        var port = m.key("port", Integer.class, 7000, "TCP and UDP port to echo on");
        return m.register("network", m.main(Dispatch.class, m.defaultConsole(), stack).keys(port));
    }
}
