package org.mirage4j.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.net.ConnectException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.mirage4j.api.net.Flow;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.StackV4V6;
import org.mirage4j.net.unix.TapNetwork;
import org.mirage4j.tcpip.direct.DirectStack;
import org.mirage4j.tcpip.direct.Ipv4Source;
import org.mirage4j.tcpip.socket.SocketStack;

/**
 * The bulk TCP source and sink of {@code benchmarks/tcp-throughput.py}: the same program on either stack, so that the
 * only difference between the two sides of the comparison is the stack.
 *
 * <pre>
 *   TcpBulk --stack=direct --interface=tap0 --ipv4=10.0.0.2/24 --mode=sink   --port=5001 --runs=5
 *   TcpBulk --stack=socket --ipv4=10.0.1.2/24                  --mode=source --peer=10.0.1.1 --port=5002 --bytes=1073741824 --runs=5
 * </pre>
 *
 * <ul>
 *   <li>{@code sink}: accepts {@code runs} connections one after the other, reads each to its end, and prints
 *       {@code received BYTES bytes in SECONDS s} for each (timed from accept to the peer's FIN);</li>
 *   <li>{@code source}: {@code runs} times, connects to {@code peer:port} (retrying while nothing listens there),
 *       writes {@code bytes} octets in 256 KiB pieces, closes its side and waits for the peer to close, then prints
 *       {@code sent BYTES bytes in SECONDS s} (timed from connect to the peer's FIN, so everything arrived).</li>
 * </ul>
 * It prints {@code ready} once it listens or is about to connect, and exits 0 when all runs are done. On the direct
 * stack it attaches to an existing tap device of the current network namespace.
 */
public final class TcpBulk {

    private static final int PIECE = 256 * 1024;
    private static final int CONNECT_ATTEMPTS = 600;

    private TcpBulk() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> keys = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) throw new IllegalArgumentException("Give keys as --name=value, not " + arg + ".");
            keys.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        String stackName = keys.getOrDefault("stack", "direct");
        Ipv4Prefix ipv4 = Ipv4Prefix.parse(keys.getOrDefault("ipv4", "10.0.0.2/24"));
        int port = Integer.parseInt(keys.getOrDefault("port", "5001"));
        int runs = Integer.parseInt(keys.getOrDefault("runs", "1"));
        TapNetwork tap = null;
        StackV4V6 stack;
        if (stackName.equals("direct")) {
            tap = new TapNetwork(keys.getOrDefault("interface", "tap0"), "", "");
            tap.connect();
            stack = new DirectStack(tap, System::nanoTime, new SeededRandom(System.nanoTime()), Ipv4Source.fixed(ipv4));
        } else if (stackName.equals("socket")) {
            stack = new SocketStack(ipv4);
        } else {
            throw new IllegalArgumentException("--stack is direct or socket, not " + stackName + ".");
        }
        try {
            stack.connect();
            switch (keys.getOrDefault("mode", "sink")) {
                case "sink" -> sink(stack, port, runs);
                case "source" -> source(stack, Ipv4Address.parse(required(keys, "peer")), port,
                        Long.parseLong(keys.getOrDefault("bytes", String.valueOf(1L << 30))), runs);
                default -> throw new IllegalArgumentException("--mode is sink or source.");
            }
        } finally {
            stack.disconnect();
            if (tap != null) tap.disconnect();
        }
        if (stack instanceof DirectStack direct) System.out.println("stack " + direct.tcpStats());
    }

    private static String required(Map<String, String> keys, String name) {
        String value = keys.get(name);
        if (value == null) throw new IllegalArgumentException("--mode=source needs --" + name + "=ADDRESS, the sink to send to.");
        return value;
    }

    private static void sink(StackV4V6 stack, int port, int runs) throws Exception {
        BlockingQueue<String> results = new LinkedBlockingQueue<>();
        stack.tcp().listen(port, flow -> {
            long begin = System.nanoTime();
            long length = 0;
            for (ByteBuf data; (data = flow.read()) != null; ) {
                length += data.readableBytes();
                data.release();
            }
            results.put(String.format("received %d bytes in %.6f s", length, (System.nanoTime() - begin) / 1e9));
        });
        System.out.println("ready");
        for (int i = 0; i < runs; i++) System.out.println(results.take());
    }

    private static void source(StackV4V6 stack, Ipv4Address peer, int port, long bytes, int runs) throws Exception {
        ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
        byte[] piece = new byte[PIECE];
        System.out.println("ready");
        for (int i = 0; i < runs; i++) {
            try (Flow flow = connect(stack, peer, port)) {
                long begin = System.nanoTime();
                for (long sent = 0; sent < bytes; ) {
                    int n = (int) Math.min(PIECE, bytes - sent);
                    flow.write(allocator.directBuffer(n).writeBytes(piece, 0, n)); // the flow releases it
                    sent += n;
                }
                flow.shutdownOutput();
                for (ByteBuf data; (data = flow.read()) != null; ) data.release(); // to the peer's FIN
                System.out.println(String.format("sent %d bytes in %.6f s", bytes, (System.nanoTime() - begin) / 1e9));
            }
        }
    }

    /** Connects, retrying every 50 ms while the peer is not listening yet (the script starts it per run). */
    private static Flow connect(StackV4V6 stack, Ipv4Address peer, int port) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return stack.tcp().connect(peer, port);
            } catch (ConnectException e) {
                if (attempt >= CONNECT_ATTEMPTS) throw e;
                Thread.sleep(50);
            }
        }
    }
}
