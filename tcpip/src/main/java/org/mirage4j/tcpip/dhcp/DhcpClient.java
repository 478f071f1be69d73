package org.mirage4j.tcpip.dhcp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mirage4j.api.Random;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.tcpip.wire.DhcpMessageType;
import org.mirage4j.tcpip.wire.DhcpPacket;
import org.mirage4j.tcpip.wire.DhcpRepr;
import org.mirage4j.tcpip.wire.Malformed;
import org.mirage4j.tcpip.wire.Octets;
import org.mirage4j.tcpip.wire.Parsed;

/**
 * A DHCP client (RFC 2131) as a state machine that does no I/O and reads no clock: messages and the time go in,
 * and out come {@link Actions}: messages to send, a change of lease, and (from {@link #poll}) when to call again.
 *
 * <pre>
 * start --> SELECTING --OFFER--> REQUESTING --ACK--> BOUND --T1--> RENEWING --T2--> REBINDING
 *             ^                      |                 ^              |                 |
 *             +------ NAK, or -------+                 +----- ACK ----+------ ACK ------+
 *             |       no answer                                       |                 |
 *             +------------------ NAK, or the lease expires ----------+-----------------+
 * </pre>
 *
 * <ul>
 *   <li>SELECTING: a DISCOVER is broadcast and retransmitted 4, 8, 16, 32, then every 64 seconds, each delay
 *       moved by a random -1 to +1 second (RFC 2131 section 4.1), until the first OFFER, which is taken.</li>
 *   <li>REQUESTING: a REQUEST for the offered address is broadcast and retransmitted the same way; after
 *       {@value #REQUEST_ATTEMPTS} without an answer, or on a NAK, the client discovers again (section 4.4.1).</li>
 *   <li>BOUND until T1 (default half the lease), then RENEWING: a REQUEST unicast to the server; from T2
 *       (default 7/8 of the lease) REBINDING: broadcast to any server. Retransmissions wait half the time left
 *       to T2 or to expiry, at least 60 seconds (section 4.4.5). An ACK extends the lease; a NAK or expiry loses
 *       it, and the client discovers again, asking for the same address.</li>
 * </ul>
 *
 * <p>Each exchange has a transaction id from the injected {@link Random}; a reply counts only if it carries that
 * id and our MAC address in {@code chaddr}. Malformed messages and others not for us are counted
 * ({@link #stats()}) and dropped; the work per message is bounded by its length.
 *
 * <p>Not thread-safe: its owner serialises the calls.
 */
public final class DhcpClient {

    /** The client's UDP port (RFC 2131 section 4.1). */
    public static final int CLIENT_PORT = 68;
    /** The servers' UDP port (RFC 2131 section 4.1). */
    public static final int SERVER_PORT = 67;
    /** How many REQUESTs go unanswered in REQUESTING before the client discovers again. */
    static final int REQUEST_ATTEMPTS = 4;

    private static final long SECOND = 1_000_000_000L;
    private static final long FIRST_RETRANSMISSION = 4 * SECOND;
    private static final long LAST_RETRANSMISSION = 64 * SECOND;
    private static final int JITTER_MILLIS = 1000;
    private static final long MIN_RENEWAL_RETRANSMISSION = 60 * SECOND;
    private static final long NEVER = Long.MAX_VALUE;
    /** What we ask servers for: subnet mask, router, DNS servers, lease time, server id, T1 and T2. */
    private static final Octets PARAMETERS = Octets.of(new byte[] {
        DhcpPacket.OPTION_SUBNET_MASK, DhcpPacket.OPTION_ROUTER, DhcpPacket.OPTION_DNS_SERVER, DhcpPacket.OPTION_LEASE_TIME,
        DhcpPacket.OPTION_SERVER_ID, DhcpPacket.OPTION_RENEWAL_TIME, DhcpPacket.OPTION_REBINDING_TIME});
    /** The client identifier's type for an Ethernet address (RFC 2132 section 9.14, IANA hardware types). */
    private static final int CLIENT_ID_ETHERNET = 1;

    /** What the owner must do after a call, in this order: apply {@link #event()}, then send {@link #transmissions()}. */
    public static final class Actions {
        private final List<Transmission> transmissions = new ArrayList<>(1);
        private LeaseEvent event;

        /** Messages to send from port 68 to port 67 of their destination, in order. */
        public List<Transmission> transmissions() {
            return transmissions;
        }

        /** The change of lease, or {@code null} for none. */
        public LeaseEvent event() {
            return event;
        }
    }

    /**
     * One message to send, from our port 68 to port 67.
     *
     * @param message the message
     * @param destination 255.255.255.255, or the server's address when renewing
     */
    public record Transmission(DhcpRepr message, Ipv4Address destination) {}

    /** A change of the lease: what the owner configures. */
    public sealed interface LeaseEvent {
        /** The lease the event is about: the new one, or the one lost. */
        Lease lease();

        /** A lease obtained by discovery: configure its address. */
        record Obtained(Lease lease) implements LeaseEvent {}

        /** A lease extended by renewing or rebinding; its configuration may differ from the one it replaces. */
        record Renewed(Lease lease, Lease previous) implements LeaseEvent {}

        /** A lease lost, by expiry or a NAK: stop using its address. */
        record Lost(Lease lease, String why) implements LeaseEvent {}
    }

    private final MacAddress mac;
    private final Random random;
    private final Octets clientIdentifier;
    private final DhcpPacket view = new DhcpPacket();
    private DhcpState state = DhcpState.INIT;
    private int xid;
    private long exchangeStart; // when the current DISCOVER, or the current renewal, was first sent: for secs
    private long requestStart; // when the current REQUEST was first sent: what a lease's times count from
    private long nextTransmission = NEVER;
    private int transmissions; // of the current message
    private Ipv4Address offered; // REQUESTING: the address offered, and the server that offered it
    private Ipv4Address offerServer;
    private Lease lease;
    private Ipv4Address lastAddress; // asked for again after losing the lease
    private long sent;
    private long offers;
    private long acks;
    private long naks;
    private long malformed;
    private long ignored;
    private long expired;

    /**
     * A client in {@link DhcpState#INIT} for the interface whose address is {@code mac}.
     *
     * @param random where transaction ids and retransmission jitter come from
     */
    public DhcpClient(MacAddress mac, Random random) {
        this.mac = Objects.requireNonNull(mac, "mac");
        this.random = Objects.requireNonNull(random, "random");
        byte[] id = new byte[1 + MacAddress.LENGTH];
        id[0] = CLIENT_ID_ETHERNET;
        System.arraycopy(mac.octets(), 0, id, 1, MacAddress.LENGTH);
        this.clientIdentifier = Octets.of(id);
    }

    public DhcpState state() {
        return state;
    }

    /** The current lease, or {@code null} when there is none. */
    public Lease lease() {
        return lease;
    }

    public DhcpStats stats() {
        return new DhcpStats(sent, offers, acks, naks, malformed, ignored, expired);
    }

    /**
     * Starts discovering: broadcasts a DISCOVER.
     *
     * @throws IllegalStateException if started before
     */
    public void start(long now, Actions out) {
        if (state != DhcpState.INIT) throw new IllegalStateException("The DHCP client was started before.");
        discover(now, out);
    }

    /**
     * Handles one message received on port 68: {@code payload}'s readable bytes, the UDP data. The caller keeps
     * ownership of {@code payload}. Never throws on malformed input: it is counted and dropped.
     */
    public void input(ByteBuf payload, long now, Actions out) {
        Malformed problem = view.wrap(payload);
        Parsed<DhcpRepr> parsed = problem == null ? DhcpRepr.parse(view) : Parsed.rejected(problem);
        DhcpRepr reply = parsed.valueOrNull();
        if (reply == null) {
            malformed++;
            return;
        }
        if (reply.messageType().operation() != DhcpPacket.OP_REPLY || reply.transactionId() != xid
                || !reply.clientMac().equals(mac)) {
            ignored++; // another client's, an old exchange's, or a client's broadcast
            return;
        }
        switch (state) {
            case SELECTING -> {
                if (reply.messageType() == DhcpMessageType.OFFER) offered(reply, now, out);
                else ignored++;
            }
            case REQUESTING -> {
                // RFC 2131 section 4.3.2: only the server we chose answers our REQUEST.
                if (reply.serverIdentifier() != null && !reply.serverIdentifier().equals(offerServer)) {
                    ignored++;
                } else if (reply.messageType() == DhcpMessageType.ACK) {
                    acknowledged(reply, now, out);
                } else if (reply.messageType() == DhcpMessageType.NAK) {
                    naks++;
                    discover(now, out);
                } else {
                    ignored++;
                }
            }
            case RENEWING, REBINDING -> {
                if (reply.messageType() == DhcpMessageType.ACK) {
                    acknowledged(reply, now, out);
                } else if (reply.messageType() == DhcpMessageType.NAK) {
                    naks++;
                    String why = reply.message().isEmpty() ? "" : " (" + reply.message() + ")";
                    lose("the server refused to extend it" + why, now, out);
                } else {
                    ignored++;
                }
            }
            case INIT, BOUND -> ignored++; // no exchange in progress
        }
    }

    /**
     * Advances time to {@code now}: retransmits what is due, and moves through T1, T2 and expiry.
     *
     * @return when to call again at the latest; {@link Long#MAX_VALUE} if only a message can change anything
     */
    public long poll(long now, Actions out) {
        switch (state) {
            case INIT -> {}
            case SELECTING -> {
                if (now >= nextTransmission) sendDiscover(now, out);
            }
            case REQUESTING -> {
                if (now >= nextTransmission) {
                    if (transmissions >= REQUEST_ATTEMPTS) discover(now, out); // RFC 2131 section 4.4.1
                    else sendRequest(now, out);
                }
            }
            case BOUND, RENEWING, REBINDING -> leaseTimers(now, out);
        }
        return nextDeadline();
    }

    private long nextDeadline() {
        return switch (state) {
            case INIT -> NEVER;
            case SELECTING, REQUESTING -> nextTransmission;
            case BOUND -> Math.min(lease.renewAt(), Math.min(lease.rebindAt(), lease.expiresAt()));
            case RENEWING -> Math.min(nextTransmission, Math.min(lease.rebindAt(), lease.expiresAt()));
            case REBINDING -> Math.min(nextTransmission, lease.expiresAt());
        };
    }

    private void leaseTimers(long now, Actions out) {
        if (now >= lease.expiresAt()) {
            expired++;
            lose("it expired before a server extended it", now, out);
        } else if (now >= lease.rebindAt() && state != DhcpState.REBINDING) {
            beginRenewal(DhcpState.REBINDING, now, out);
        } else if (now >= lease.renewAt() && state == DhcpState.BOUND) {
            beginRenewal(DhcpState.RENEWING, now, out);
        } else if (state != DhcpState.BOUND && now >= nextTransmission) {
            sendRenewal(now, out);
        }
    }

    private void discover(long now, Actions out) {
        state = DhcpState.SELECTING;
        xid = random.nextInt();
        exchangeStart = now;
        transmissions = 0;
        offered = null;
        offerServer = null;
        sendDiscover(now, out);
    }

    private void offered(DhcpRepr offer, long now, Actions out) {
        if (offer.serverIdentifier() == null || !Lease.isHostAddress(offer.yourIp())) { // RFC 2131 table 3: MUST
            ignored++;
            return;
        }
        offers++;
        state = DhcpState.REQUESTING;
        offered = offer.yourIp();
        offerServer = offer.serverIdentifier();
        transmissions = 0;
        requestStart = now;
        sendRequest(now, out);
    }

    private void acknowledged(DhcpRepr ack, long now, Actions out) {
        Lease previous = lease;
        Lease next = Lease.of(ack, requestStart, previous);
        if (next == null) {
            ignored++;
            return;
        }
        acks++;
        lease = next;
        lastAddress = next.address().address();
        state = DhcpState.BOUND;
        nextTransmission = NEVER;
        out.event = previous == null ? new LeaseEvent.Obtained(next) : new LeaseEvent.Renewed(next, previous);
    }

    private void lose(String why, long now, Actions out) {
        out.event = new LeaseEvent.Lost(lease, why);
        lease = null;
        discover(now, out);
    }

    private void beginRenewal(DhcpState renewing, long now, Actions out) {
        state = renewing;
        xid = random.nextInt(); // a new exchange (RFC 2131 section 4.4.5)
        exchangeStart = now;
        requestStart = now;
        transmissions = 0;
        sendRenewal(now, out);
    }

    private void sendDiscover(long now, Actions out) {
        send(message(DhcpMessageType.DISCOVER, now).requestedIp(lastAddress).build(), Ipv4Address.BROADCAST, out);
        nextTransmission = now + backoff();
    }

    /** RFC 2131 section 4.3.2: the REQUEST names the server chosen and the address it offered; ciaddr is 0. */
    private void sendRequest(long now, Actions out) {
        send(message(DhcpMessageType.REQUEST, now).serverIdentifier(offerServer).requestedIp(offered).build(),
                Ipv4Address.BROADCAST, out);
        nextTransmission = now + backoff();
    }

    /**
     * RFC 2131 section 4.3.2: a renewing or rebinding REQUEST carries our address in ciaddr and names neither server
     * nor address; it is unicast to the server when renewing, broadcast when rebinding. The next retransmission
     * waits half the time left to T2 (renewing) or to expiry (rebinding), at least 60 s (section 4.4.5).
     */
    private void sendRenewal(long now, Actions out) {
        boolean renewing = state == DhcpState.RENEWING;
        send(message(DhcpMessageType.REQUEST, now).clientIp(lease.address().address()).build(),
                renewing ? lease.server() : Ipv4Address.BROADCAST, out);
        long until = renewing ? lease.rebindAt() : lease.expiresAt();
        nextTransmission = Math.min(until, now + Math.max(MIN_RENEWAL_RETRANSMISSION, (until - now) / 2));
    }

    private DhcpRepr.Builder message(DhcpMessageType type, long now) {
        long secs = Math.min(0xFFFF, Math.max(0, (now - exchangeStart) / SECOND));
        return DhcpRepr.builder(type, xid, mac)
                .secs((int) secs)
                .clientIdentifier(clientIdentifier)
                .parameterRequestList(PARAMETERS);
    }

    private void send(DhcpRepr message, Ipv4Address destination, Actions out) {
        out.transmissions.add(new Transmission(message, destination));
        transmissions++;
        sent++;
    }

    /** The wait before the next retransmission (RFC 2131 section 4.1): 4 s doubling up to 64 s, each +-1 s at random. */
    private long backoff() {
        long base = FIRST_RETRANSMISSION << Math.min(transmissions - 1, 4);
        base = Math.min(base, LAST_RETRANSMISSION);
        return base + (random.nextInt(2 * JITTER_MILLIS + 1) - JITTER_MILLIS) * 1_000_000L;
    }
}
