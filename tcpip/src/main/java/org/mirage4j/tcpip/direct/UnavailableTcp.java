package org.mirage4j.tcpip.direct;

import org.mirage4j.api.net.Flow;
import org.mirage4j.api.net.FlowHandler;
import org.mirage4j.api.net.IpAddress;
import org.mirage4j.api.net.Tcp;

/** The direct stack's TCP until it has one: every call that would need it says so with a {@link TcpUnavailableException}. */
final class UnavailableTcp implements Tcp {

    @Override
    public void listen(int port, FlowHandler handler) throws TcpUnavailableException {
        throw new TcpUnavailableException();
    }

    /** Nothing listens, so there is nothing to stop. */
    @Override
    public void unlisten(int port) {}

    @Override
    public Flow connect(IpAddress destination, int port) throws TcpUnavailableException {
        throw new TcpUnavailableException();
    }
}
