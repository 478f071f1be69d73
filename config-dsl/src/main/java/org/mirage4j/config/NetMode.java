package org.mirage4j.config;

import java.util.Locale;

/** How a stack reaches the network: the configure-time key {@code -Dmirage.net=socket|direct}. */
public enum NetMode {
    /** The host's sockets (unix only): the counterpart of mirage-tcpip's socket stack. */
    SOCKET,
    /** mirage4j's own TCP/IP stack over a network device (a tap on unix, virtio-net on kvm). */
    DIRECT;

    static NetMode parse(String text) {
        for (NetMode mode : values()) {
            if (mode.name().equalsIgnoreCase(text.strip())) return mode;
        }
        throw new ConfigException("-Dmirage.net=" + text + " is not a network mode: use -Dmirage.net=socket or -Dmirage.net=direct.");
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
