package org.mirage4j.tcpip.direct;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.Key;
import org.mirage4j.api.net.Datagram;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;

/**
 * A fixed IPv4 configuration from the runtime keys {@code ipv4} (our address and the link's prefix, such as
 * {@code 10.0.0.2/24}) and {@code ipv4-gateway} (the default gateway, empty for none), checked at {@link #start}.
 *
 * <p>Immutable: any thread.
 */
@Singleton
final class StaticIpv4Source implements Ipv4Source {

    private final Ipv4Prefix address;
    private final Ipv4Address gateway; // null for none
    private final String error; // null when the keys are fine

    /**
     * Takes the keys; does no I/O, and reports a wrong key only at {@link #start}.
     *
     * @param ipv4 our address and the link's prefix, from the runtime key {@code ipv4}
     * @param gateway the default gateway's address, from the runtime key {@code ipv4-gateway}; empty for none
     */
    @Inject
    StaticIpv4Source(@Key("ipv4") Ipv4Prefix ipv4, @Key("ipv4-gateway") String gateway) {
        this.address = ipv4;
        String gatewayText = gateway.strip();
        Ipv4Address gatewayAddress = null;
        String problem = checkAddress(ipv4);
        if (problem == null && !gatewayText.isEmpty()) {
            try {
                gatewayAddress = Ipv4Address.parse(gatewayText);
                problem = checkGateway(ipv4, gatewayAddress);
            } catch (IllegalArgumentException e) {
                problem = "--ipv4-gateway='" + gatewayText + "' is not an IPv4 address such as 10.0.0.1:"
                        + " give the gateway's address, or leave it empty for none.";
            }
        }
        this.error = problem;
        this.gateway = problem == null ? gatewayAddress : null;
    }

    private static String checkAddress(Ipv4Prefix ipv4) {
        Ipv4Address address = ipv4.address();
        boolean networkOrBroadcast = ipv4.length() < 31 && (address.equals(ipv4.network()) || address.equals(ipv4.broadcast()));
        if (address.isUnspecified() || address.isLoopback() || address.isMulticast() || address.isBroadcast() || networkOrBroadcast) {
            return "--ipv4=" + ipv4 + " is not an address a host can have on its link: give one such as 10.0.0.2/24.";
        }
        return null;
    }

    private static String checkGateway(Ipv4Prefix ipv4, Ipv4Address gateway) {
        if (!ipv4.contains(gateway) || gateway.equals(ipv4.address()) || gateway.equals(ipv4.broadcast())) {
            return "--ipv4-gateway=" + gateway + " is not another host on the link of --ipv4=" + ipv4
                    + ": give the address of a router inside " + ipv4.network() + "/" + ipv4.length() + ", or leave it empty for none.";
        }
        return null;
    }

    /**
     * Configures {@code host} with the keys' address and gateway.
     *
     * @throws DeviceException when a key is wrong, saying what to give instead
     */
    @Override
    public void start(Host host) throws DeviceException {
        if (error != null) throw new DeviceException(error);
        host.configure(address, gateway);
    }

    /** None: a static configuration listens to nothing. */
    @Override
    public int port() {
        return 0;
    }

    /** Never called, as {@link #port()} is 0; releases the payload. */
    @Override
    public void input(Datagram datagram, long now) {
        datagram.payload().release();
    }

    @Override
    public long poll(long now) {
        return Long.MAX_VALUE;
    }

    @Override
    public void stop() {}
}
