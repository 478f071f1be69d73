package org.mirage4j.tcpip.link;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.KeyType;
import org.mirage4j.api.RuntimeKey;
import org.mirage4j.api.net.Network;

/**
 * Applies the runtime keys {@code --pcap} and {@code --faults} to a network device: the one place the direct stack
 * turns them into decorators.
 *
 * <p>The order is fixed: faults next to the wire, the capture above them.
 *
 * <pre>
 *   stack  -->  PcapNetwork (--pcap)  -->  FaultyNetwork (--faults)  -->  device (tap, virtio)  -->  wire
 * </pre>
 *
 * Why: the capture then shows what the stack really saw and sent: a frame the faults dropped on the way in is not
 * in it, a flipped bit is, a retransmission appears where the stack made it. That is the view nothing else can give,
 * whereas what crossed the wire can always be captured on the other side, with tcpdump on the tap. The other order
 * would show the wire and hide from the capture what the stack was actually given.
 */
public final class Links {

    /** {@code --pcap=FILE}: where to write the capture; empty for none. */
    public static final RuntimeKey<String> PCAP = RuntimeKey.optional("pcap", KeyType.STRING, "",
            "write the frames the stack receives and sends to this pcap file, which Wireshark opens (empty: none)");
    /** {@code --faults=SPEC}: the faults to inject, as {@link FaultSpec#parse} reads them; empty for none. */
    public static final RuntimeKey<String> FAULTS = RuntimeKey.optional("faults", KeyType.STRING, "",
            "inject seeded faults between the stack and the network, such as"
                    + " drop=0.01,duplicate=0.01,reorder=0.02,delay=0.05:20ms,flip=0.001,truncate=0.001,seed=42,direction=both"
                    + " (empty: none)");

    private Links() {}

    /** The keys {@link #decorate} reads: {@code pcap} and {@code faults}, with defaults and help. */
    public static List<RuntimeKey<?>> keys() {
        return List.of(PCAP, FAULTS);
    }

    /**
     * Wraps {@code inner} as the keys say: in a {@link FaultyNetwork} if {@code faultSpec} is not blank, and that in
     * a {@link PcapNetwork} if {@code pcapPath} is not blank. Does no I/O.
     *
     * <p>Lifecycle: the result borrows {@code inner}. Its {@code connect()} starts the decorators (opens the capture
     * file, seeds the faults) and its {@code disconnect()} finishes them (closes the file, logs the counts); neither
     * touches {@code inner}, whose owner connects it before and disconnects it after (the runtime does so for the
     * network under the stack). So: connect {@code inner}, then the result; disconnect the result, then
     * {@code inner}, which also ends the result's {@code listen}. With both keys blank the result is a plain
     * pass-through, whose {@code connect()} and {@code disconnect()} do nothing, so the caller needs no special case.
     *
     * @param inner the device next to the wire, connected by its owner
     * @param pcapPath the value of {@code --pcap}
     * @param faultSpec the value of {@code --faults}
     * @throws DeviceException with one sentence saying what is wrong with {@code --faults} or {@code --pcap}
     */
    public static Network decorate(Network inner, String pcapPath, String faultSpec) throws DeviceException {
        Network network = new BorrowedNetwork(inner);
        if (!faultSpec.isBlank()) {
            FaultSpec spec;
            try {
                spec = FaultSpec.parse(faultSpec);
            } catch (IllegalArgumentException e) {
                throw new DeviceException("--faults: " + e.getMessage(), e);
            }
            network = new FaultyNetwork(network, spec);
        }
        if (!pcapPath.isBlank()) {
            Path path;
            try {
                path = Path.of(pcapPath.strip());
            } catch (InvalidPathException e) {
                throw new DeviceException("--pcap='" + pcapPath + "' is not a valid file path; give one such as"
                        + " /tmp/stack.pcap.", e);
            }
            network = new PcapNetwork(network, path);
        }
        return network;
    }
}
