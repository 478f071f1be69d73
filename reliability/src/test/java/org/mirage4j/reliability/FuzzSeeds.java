package org.mirage4j.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.tcpip.wire.EthernetFrame;
import org.mirage4j.tcpip.wire.Ipv4Packet;

/**
 * Writes the fuzz tests' seed inputs under {@code src/test/resources} from {@link HostileFrames#templates()}: whole
 * frames for the Ethernet and receive-path tests, and each layer's bytes for its parser's test. Run once by hand
 * when the templates change, from the module directory with the test class path; the seeds are kept in the
 * repository.
 */
final class FuzzSeeds {

    private FuzzSeeds() {}

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources/org/mirage4j/reliability");
        List<byte[]> frames = HostileFrames.templates();
        for (int i = 0; i < frames.size(); i++) {
            byte[] frame = frames.get(i);
            write(root.resolve("WireFuzzTestInputs/ethernet"), "frame-" + i, frame);
            write(root.resolve("ReceivePathFuzzTestInputs/frames"), "frame-" + i, prefixed(frame));
            byte[] payload = Arrays.copyOfRange(frame, EthernetFrame.HEADER_LENGTH, frame.length);
            int type = ((frame[12] & 0xFF) << 8) | (frame[13] & 0xFF);
            if (type == EtherType.ARP.value()) write(root.resolve("WireFuzzTestInputs/arp"), "arp-" + i, payload);
            if (type != EtherType.IPV4.value()) continue;
            write(root.resolve("WireFuzzTestInputs/ipv4"), "ipv4-" + i, payload);
            byte[] transport = Arrays.copyOfRange(payload, Ipv4Packet.HEADER_LENGTH, payload.length);
            boolean fragment = (payload[6] & 0x3F) != 0 || payload[7] != 0;
            String protocol = switch (payload[9]) {
                case 1 -> "icmp";
                case 6 -> "tcp";
                case 17 -> fragment ? null : "udp";
                default -> null;
            };
            if (protocol != null) write(root.resolve("WireFuzzTestInputs/" + protocol), protocol + "-" + i, transport);
        }
        byte[] all = new byte[0];
        for (byte[] frame : frames) all = concat(all, prefixed(frame));
        write(root.resolve("ReceivePathFuzzTestInputs/frames"), "every-kind", all);
        write(root.resolve("WireFuzzTestInputs/dhcp"), "offer", DhcpSeed.offer());
    }

    private static byte[] prefixed(byte[] frame) {
        return concat(new byte[] {(byte) (frame.length >>> 8), (byte) frame.length}, frame);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void write(Path directory, String name, byte[] data) throws IOException {
        String format = directory.getFileName().toString();
        int selector = Arrays.asList(WireFuzzTest.FORMATS).indexOf(format);
        if (directory.getParent().getFileName().toString().equals("WireFuzzTestInputs") && selector >= 0) {
            Path every = directory.resolveSibling("everyFormat");
            Files.createDirectories(every);
            Files.write(every.resolve(name), concat(new byte[] {(byte) selector}, data));
        }
        Files.createDirectories(directory);
        Files.write(directory.resolve(name), data);
    }
}
