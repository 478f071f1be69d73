package org.mirage4j.tcpip.direct;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.Key;
import org.mirage4j.api.Random;
import org.mirage4j.api.net.Datagram;
import org.mirage4j.tcpip.dhcp.DhcpClient;
import org.mirage4j.tcpip.dhcp.DhcpStats;
import org.mirage4j.tcpip.dhcp.Lease;
import org.mirage4j.tcpip.wire.DhcpRepr;

/**
 * The stack's address from a DHCP server: runs a {@link DhcpClient} on the stack's threads and configures the
 * stack with each lease it gets, keeps or loses. {@link #start} waits for the first lease up to the runtime key
 * {@code dhcp-timeout}. Logs to {@code tcpip.dhcp}: leases obtained, renewed and lost at info.
 *
 * <p>Threads: one lock serialises the client. Lease changes and the messages that follow them are carried out
 * under it too, so that the stack's configuration changes in the order the client decided (a lease lost on the
 * timer thread never overtakes, or is overtaken by, one obtained on the receive loop).
 */
@Singleton
final class DhcpIpv4Source implements Ipv4Source {

    static final String LOGGER_NAME = "tcpip.dhcp";
    private static final Logger LOG = System.getLogger(LOGGER_NAME);

    private final Random random;
    private final Duration timeout;
    private final Object lock = new Object();
    private final CountDownLatch settled = new CountDownLatch(1); // the first lease came, or we stopped
    private DhcpClient client; // guarded by lock; null until started
    private Host host; // guarded by lock
    private boolean stopped; // guarded by lock

    /**
     * Makes the source; does no I/O (see {@link #start}).
     *
     * @param timeout how long {@link #start} waits for the first lease, from the runtime key {@code dhcp-timeout}
     */
    @Inject
    DhcpIpv4Source(Random random, @Key("dhcp-timeout") Duration timeout) {
        this.random = random;
        this.timeout = timeout;
    }

    /**
     * Starts discovering, and waits for the first lease.
     *
     * @throws DeviceException when {@code dhcp-timeout} is not positive, or no server gave a lease in time
     * @throws InterruptedIOException when the calling thread is interrupted while waiting
     */
    @Override
    public void start(Host host) throws IOException {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new DeviceException("--dhcp-timeout=" + timeout + " is not a positive duration: give one such as 30s.");
        }
        synchronized (lock) {
            if (client != null) throw new IllegalStateException("The DHCP source was started before.");
            if (stopped) throw new DeviceException("The stack was disconnected before DHCP could start.");
            this.host = host;
            client = new DhcpClient(host.mac(), random);
            DhcpClient.Actions actions = new DhcpClient.Actions();
            client.start(host.now(), actions);
            carryOut(actions);
        }
        try {
            settled.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting for a DHCP lease.");
        }
        synchronized (lock) {
            if (client.lease() != null) return;
            if (stopped) throw new DeviceException("The stack was disconnected before a DHCP server answered.");
        }
        throw new DeviceException("No DHCP server answered on the link of " + host.mac() + " within " + format(timeout)
                + ": check the server, or give a static --ipv4.");
    }

    @Override
    public int port() {
        return DhcpClient.CLIENT_PORT;
    }

    /** Hands the datagram to the client, which checks it; releases the payload. */
    @Override
    public void input(Datagram datagram, long now) {
        try {
            synchronized (lock) {
                if (client == null || stopped) return;
                DhcpClient.Actions actions = new DhcpClient.Actions();
                client.input(datagram.payload(), now, actions);
                carryOut(actions);
            }
        } finally {
            datagram.payload().release();
        }
    }

    @Override
    public long poll(long now) {
        synchronized (lock) {
            if (client == null || stopped) return Long.MAX_VALUE;
            DhcpClient.Actions actions = new DhcpClient.Actions();
            long next = client.poll(now, actions);
            carryOut(actions);
            return next;
        }
    }

    @Override
    public void stop() {
        synchronized (lock) {
            stopped = true;
        }
        settled.countDown();
    }

    /** The client's counters; all zero before {@link #start}. */
    DhcpStats stats() {
        synchronized (lock) {
            return client == null ? new DhcpStats(0, 0, 0, 0, 0, 0, 0) : client.stats();
        }
    }

    /** The current lease, or {@code null}. */
    Lease lease() {
        synchronized (lock) {
            return client == null ? null : client.lease();
        }
    }

    /** Applies the lease change first, so that a DISCOVER after a lost lease goes out from 0.0.0.0. Holds the lock. */
    private void carryOut(DhcpClient.Actions actions) {
        switch (actions.event()) {
            case null -> {}
            case DhcpClient.LeaseEvent.Obtained(Lease lease) -> {
                host.configure(lease.address(), lease.gateway());
                LOG.log(Level.INFO, "DHCP lease obtained: {0}{1} from server {2} for {3}", lease.address(),
                        lease.gateway() == null ? "" : " via gateway " + lease.gateway(), lease.server(), duration(lease));
                settled.countDown();
            }
            case DhcpClient.LeaseEvent.Renewed(Lease lease, Lease previous) -> {
                if (!lease.sameConfiguration(previous)) host.configure(lease.address(), lease.gateway());
                LOG.log(Level.INFO, "DHCP lease renewed: {0}{1} from server {2} for {3}", lease.address(),
                        lease.gateway() == null ? "" : " via gateway " + lease.gateway(), lease.server(), duration(lease));
            }
            case DhcpClient.LeaseEvent.Lost(Lease lease, String why) -> {
                host.deconfigure();
                LOG.log(Level.INFO, "DHCP lease of {0} lost, as {1}; asking for a new one", lease.address(), why);
            }
        }
        for (DhcpClient.Transmission transmission : actions.transmissions()) {
            DhcpRepr message = transmission.message();
            try {
                host.send(DhcpClient.CLIENT_PORT, transmission.destination(), DhcpClient.SERVER_PORT, message.bufferLength(),
                        message::emit);
            } catch (IOException | RuntimeException e) {
                // The client retransmits on its own schedule, so one message lost here is like one lost on the wire.
                LOG.log(Level.DEBUG, () -> "Sending a DHCP " + message.messageType() + " to " + transmission.destination()
                        + " failed", e);
            }
        }
    }

    private static String duration(Lease lease) {
        return lease.isInfinite() ? "ever" : lease.leaseSeconds() + " s";
    }

    private static String format(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
