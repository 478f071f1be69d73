package org.mirage4j.config;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.mirage4j.api.Console;
import org.mirage4j.api.Device;
import org.mirage4j.api.Job;
import org.mirage4j.api.KeyType;
import org.mirage4j.api.Random;
import org.mirage4j.api.RuntimeKey;
import org.mirage4j.api.kv.KvRo;
import org.mirage4j.api.net.Network;
import org.mirage4j.api.net.StackV4V6;
import org.mirage4j.api.time.MonotonicClock;
import org.mirage4j.api.time.Sleep;
import org.mirage4j.api.time.WallClock;

/**
 * The DSL's entry point, handed to {@link MirageConfig#configure}: devices chosen for the build's
 * target, runtime keys, and the job. The counterpart of the functions a MirageOS
 * {@code config.ml} calls ({@code default_console}, {@code generic_stackv4v6}, {@code crunch},
 * {@code main}, {@code register}).
 */
public final class Mirage {

    private final Target target;
    private final NetMode net;
    private final Map<String, String> configureKeys;

    /**
     * @param target the target being built
     * @param configureKeys configure-time keys given to the build as {@code -Dmirage.NAME=VALUE}, by NAME
     */
    public Mirage(Target target, Map<String, String> configureKeys) {
        this.target = Objects.requireNonNull(target, "target");
        this.configureKeys = Map.copyOf(configureKeys);
        String netText = configureKeys.getOrDefault("net", "");
        this.net = netText.isBlank() ? defaultNet(target) : NetMode.parse(netText);
        if (target == Target.KVM && net == NetMode.SOCKET) {
            throw new ConfigException("-Dmirage.net=socket is for the unix target only (a kvm image has no host sockets): "
                    + "drop it, or build with -Ptarget=unix.");
        }
    }

    private static NetMode defaultNet(Target target) {
        return target == Target.UNIX ? NetMode.SOCKET : NetMode.DIRECT;
    }

    /** The target this build is for. */
    public Target target() {
        return target;
    }

    /** The network mode: {@code -Dmirage.net}, by default {@code socket} on unix and {@code direct} on kvm. */
    public NetMode net() {
        return net;
    }

    /** A configure-time key {@code -Dmirage.NAME=...} given to the build, if it was. */
    public Optional<String> configureKey(String name) {
        return Optional.ofNullable(configureKeys.get(name)).filter(s -> !s.isBlank());
    }

    // ---- devices ---------------------------------------------------------------------------

    /**
     * What the kvm target's virtio drivers find their devices on (PCI through uio, virtio-mmio) and
     * take DMA memory from; listed by every virtio device, included once.
     */
    private static final String LINUX_VIRTIO_BUS_MODULE = "org.mirage4j.virtio.bus.LinuxVirtioBusModule";

    /** The console: standard output on unix, the serial port on kvm. */
    public Impl<Console> defaultConsole() {
        return switch (target) {
            case UNIX -> Impl.of(Console.class, "console", "org.mirage4j.console.StdoutConsole",
                    "org.mirage4j.console.StdoutConsoleModule", "org.mirage4j:console", List.of(), List.of());
            case KVM -> Impl.of(Console.class, "console", "org.mirage4j.console.SerialConsole",
                    "org.mirage4j.console.SerialConsoleModule", "org.mirage4j:console", List.of(), List.of());
        };
    }

    /** The network interface: a tap device on unix, virtio-net on kvm. */
    public Impl<Network> defaultNetwork() {
        return switch (target) {
            case UNIX -> Impl.of(Network.class, "network", "org.mirage4j.net.unix.TapNetwork",
                    "org.mirage4j.net.unix.TapNetworkModule", "org.mirage4j:net-unix", List.of(),
                    List.of(RuntimeKey.optional("interface", KeyType.STRING, "tap0", "tap interface to attach to (created if missing)"),
                            RuntimeKey.optional("mac", KeyType.STRING, "",
                                    "MAC address of the stack, such as 02:00:00:00:00:02 (empty: a random locally administered one)"),
                            RuntimeKey.optional("netns", KeyType.STRING, "",
                                    "network namespace whose tap to attach to (empty: this process's own)")));
            case KVM -> Impl.of(Network.class, "network", "org.mirage4j.net.virtio.VirtioNetwork",
                    "org.mirage4j.net.virtio.VirtioNetworkModule", "org.mirage4j:net-virtio", List.of(), List.of())
                    .with(LINUX_VIRTIO_BUS_MODULE, List.of());
        };
    }

    /**
     * A TCP/IP stack. With {@code -Dmirage.net=socket} (the default on unix) it is the host's
     * sockets and {@code network} is not used; with {@code -Dmirage.net=direct} it is mirage4j's
     * own stack over {@code network}, with a static address from {@code --ipv4}.
     */
    public Impl<StackV4V6> genericStackV4V6(Impl<Network> network) {
        return genericStackV4V6(network, staticIpv4());
    }

    /**
     * A TCP/IP stack whose address, on the direct stack, comes from {@code ipv4}:
     * {@link #staticIpv4()} or {@link #ipv4OfDhcp()}. The host-socket stack serves on the host's
     * own addresses and does not use it.
     */
    public Impl<StackV4V6> genericStackV4V6(Impl<Network> network, Ipv4Config ipv4) {
        return switch (net) {
            case SOCKET -> Impl.of(StackV4V6.class, "stack", "org.mirage4j.tcpip.socket.SocketStack",
                    "org.mirage4j.tcpip.socket.SocketStackModule", "org.mirage4j:tcpip", List.of(),
                    List.of(RuntimeKey.optional("ipv4", KeyType.IPV4_PREFIX, "0.0.0.0/0",
                            "IPv4 address to serve on, with its prefix (0.0.0.0/0: every host address)")));
            case DIRECT -> Impl.of(StackV4V6.class, "stack", "org.mirage4j.tcpip.direct.DirectStack",
                            "org.mirage4j.tcpip.direct.DirectStackModule", "org.mirage4j:tcpip",
                            List.of(network, monotonicClock(), random()),
                            List.of(RuntimeKey.optional("pcap", KeyType.STRING, "",
                                            "write the frames the stack receives and sends to this pcap file, which Wireshark opens (empty: none)"),
                                    RuntimeKey.optional("faults", KeyType.STRING, "",
                                            "inject seeded faults between the stack and the network, such as "
                                                    + "drop=0.01,duplicate=0.01,reorder=0.02,delay=0.05:20ms,flip=0.001,truncate=0.001,seed=42 (empty: none)"),
                                    RuntimeKey.optional("tcp-congestion", KeyType.STRING, "cubic",
                                            "TCP congestion control: cubic (RFC 9438) or newreno (RFC 6582)"),
                                    RuntimeKey.optional("tcp-nodelay", KeyType.BOOLEAN, "false",
                                            "send small TCP segments at once instead of waiting for an ACK (Nagle's algorithm off)")))
                    .with(ipv4.daggerModule(), ipv4.keys());
        };
    }

    /** Where the direct stack's IPv4 address comes from: a Dagger module and the keys it reads. */
    public record Ipv4Config(String daggerModule, List<RuntimeKey<?>> keys) {}

    /** A static address: {@code --ipv4=10.0.0.2/24 --ipv4-gateway=10.0.0.1} (MirageOS's keys). */
    public Ipv4Config staticIpv4() {
        return new Ipv4Config("org.mirage4j.tcpip.direct.StaticIpv4Module",
                List.of(RuntimeKey.optional("ipv4", KeyType.IPV4_PREFIX, "10.0.0.2/24", "IPv4 address of the stack, with its prefix"),
                        RuntimeKey.optional("ipv4-gateway", KeyType.STRING, "", "IPv4 address of the default gateway (empty: none)")));
    }

    /** An address leased from a DHCP server (RFC 2131), renewed for as long as the unikernel runs. */
    public Ipv4Config ipv4OfDhcp() {
        return new Ipv4Config("org.mirage4j.tcpip.direct.DhcpIpv4Module",
                List.of(RuntimeKey.optional("dhcp-timeout", KeyType.DURATION, "30s",
                        "how long the stack waits at start for a DHCP lease before giving up")));
    }

    /**
     * The files under {@code directory} (relative to the application's base directory), embedded
     * into the application at build time and read through {@link KvRo}: MirageOS's {@code crunch}.
     * The device is named after the directory's last segment.
     */
    public Impl<KvRo> crunch(String directory) {
        String last = directory.replaceAll("/+$", "");
        last = last.substring(last.lastIndexOf('/') + 1);
        String name = javaName(last);
        return new Impl<>(KvRo.class, name, "org.mirage4j.runtime.kv.CrunchedKvRo",
                List.of("mirage.Crunch" + Character.toUpperCase(name.charAt(0)) + name.substring(1) + "Module"),
                "org.mirage4j:runtime", List.of(), List.of(), Optional.of(directory));
    }

    /** A monotonic clock (the JDK's on both targets). */
    public Impl<MonotonicClock> monotonicClock() {
        return jdk(MonotonicClock.class, "monotonicClock");
    }

    /** The time of day (the JDK's on both targets). */
    public Impl<WallClock> wallClock() {
        return jdk(WallClock.class, "wallClock");
    }

    /** Sleeping (the JDK's on both targets). */
    public Impl<Sleep> sleep() {
        return jdk(Sleep.class, "sleep");
    }

    /** Cryptographically strong randomness (the JDK's SecureRandom on both targets). */
    public Impl<Random> random() {
        return jdk(Random.class, "random");
    }

    private static <T extends Device> Impl<T> jdk(Class<T> api, String name) {
        String simple = api.getSimpleName();
        return Impl.of(api, name, "org.mirage4j.runtime.jdk.Jdk" + simple,
                "org.mirage4j.runtime.jdk.Jdk" + simple + "Module", "org.mirage4j:runtime", List.of(), List.of());
    }

    /**
     * The device of {@code choices} for this build's target: functoria's {@code match_impl}.
     *
     * @throws ConfigException when {@code choices} has none for the target
     */
    public <T extends Device> Impl<T> matchImpl(Map<Target, Impl<T>> choices) {
        Impl<T> chosen = choices.get(target);
        if (chosen == null) {
            throw new ConfigException("matchImpl in Config.java has no device for target " + target.id()
                    + "; add one for Target." + target.name() + ".");
        }
        return chosen;
    }

    // ---- storage ----------------------------------------------------------------------------------

    /** Sizes such as 4096, 512K, 64M or 2G, as the block device reads them. */
    private static final java.util.regex.Pattern SIZE = java.util.regex.Pattern.compile("(?i)[1-9][0-9]*\\s*[KMGT]?(i?B)?");

    /**
     * A block device named {@code name}: on unix the disk image file given by {@code --block-file} (by
     * default {@code disk.img}), which must exist unless {@code --block-size} is given; on kvm a virtio-blk
     * disk.
     */
    public Impl<org.mirage4j.api.block.Block> block(String name) {
        return block(name, "");
    }

    /**
     * A block device as {@link #block(String)}, whose file on unix is created zero-filled with
     * {@code sizeIfMissing} bytes (such as {@code "64M"}) when it does not exist: the default of
     * {@code --block-size}.
     */
    public Impl<org.mirage4j.api.block.Block> block(String name, String sizeIfMissing) {
        if (!sizeIfMissing.isEmpty() && !SIZE.matcher(sizeIfMissing.strip()).matches()) {
            throw new ConfigException("block(\"" + name + "\", \"" + sizeIfMissing + "\") in Config.java has a size that is not "
                    + "one; write it as 4096, 512K, 64M or 2G.");
        }
        return switch (target) {
            case UNIX -> Impl.of(org.mirage4j.api.block.Block.class, name, "org.mirage4j.block.file.FileBlock",
                    "org.mirage4j.block.file.FileBlockModule", "org.mirage4j:block", List.of(),
                    List.of(RuntimeKey.optional("block-file", KeyType.STRING, "disk.img", "disk image file of the block device"),
                            RuntimeKey.optional("block-size", KeyType.STRING, sizeIfMissing,
                                    "size to create --block-file with when it does not exist, such as 64M (empty: it must exist)"),
                            RuntimeKey.optional("block-read-only", KeyType.BOOLEAN, "false",
                                    "open --block-file read-only even when it is writable")));
            case KVM -> Impl.of(org.mirage4j.api.block.Block.class, name, "org.mirage4j.block.virtio.VirtioBlock",
                    "org.mirage4j.block.virtio.VirtioBlockModule", "org.mirage4j:block", List.of(), List.of())
                    .with(LINUX_VIRTIO_BUS_MODULE, List.of());
        };
    }

    /**
     * A crash-safe read-write key-value store on {@code block}: a log-structured store whose acknowledged
     * changes are durable (see {@code org.mirage4j.block.kv}). Named after the block device, plus {@code Kv}.
     */
    public Impl<org.mirage4j.api.kv.KvRw> kvRw(Impl<org.mirage4j.api.block.Block> block) {
        return Impl.of(org.mirage4j.api.kv.KvRw.class, block.name() + "Kv", "org.mirage4j.block.kv.LogKvRw",
                "org.mirage4j.block.kv.LogKvRwModule", "org.mirage4j:block", List.of(block, wallClock()), List.of());
    }

    /**
     * A read-only key-value store over the tar archive on {@code block} (mirage's {@code tar_kv_ro}); build
     * the archive with {@code org.mirage4j.block.tar.TarImage}. Named after the block device, plus {@code Tar}.
     */
    public Impl<KvRo> tarKvRo(Impl<org.mirage4j.api.block.Block> block) {
        return Impl.of(KvRo.class, block.name() + "Tar", "org.mirage4j.block.tar.TarKvRo",
                "org.mirage4j.block.tar.TarKvRoModule", "org.mirage4j:block", List.of(block), List.of());
    }

    // ---- end of storage ---------------------------------------------------------------------------

    // ---- keys and the job ----------------------------------------------------------------------

    /**
     * A runtime key with a default, given as {@code --name=value} when the unikernel starts.
     *
     * @param type one of the types {@link KeyType} supports (String, Integer, Long, Boolean, Duration, addresses)
     */
    public <T> RuntimeKey<T> key(String name, Class<T> type, T defaultValue, String doc) {
        KeyType<T> keyType = keyType(name, type);
        return RuntimeKey.optional(name, keyType, keyType.format(defaultValue), doc);
    }

    /** A runtime key the user must give when the unikernel starts. */
    public <T> RuntimeKey<T> requiredKey(String name, Class<T> type, String doc) {
        return RuntimeKey.required(name, keyType(name, type), doc);
    }

    private static <T> KeyType<T> keyType(String name, Class<T> type) {
        return KeyType.of(type).orElseThrow(() -> new ConfigException("Key " + name + " has type " + type.getSimpleName()
                + ", which runtime keys do not support; use one of "
                + KeyType.all().stream().map(t -> t.javaType().getSimpleName()).collect(Collectors.joining(", ")) + "."));
    }

    /**
     * The job {@code job} with {@code devices}, in the order of its constructor's device
     * parameters. The build checks the list against the constructor.
     */
    public JobSpec main(Class<? extends Job> job, Impl<?>... devices) {
        return new JobSpec(job, Arrays.asList(devices), List.of());
    }

    /** The unikernel named {@code name} that runs {@code job}. */
    public Unikernel register(String name, JobSpec job) {
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new ConfigException("Unikernel name '" + name + "' is not valid: use lower-case letters, digits and dashes, such as \"http\".");
        }
        return new Unikernel(name, target, job);
    }

    private static String javaName(String text) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : text.toCharArray()) {
            if (Character.isLetterOrDigit(c) && c < 128) {
                out.append(upper ? Character.toUpperCase(c) : (out.isEmpty() ? Character.toLowerCase(c) : c));
                upper = false;
            } else {
                upper = !out.isEmpty();
            }
        }
        if (out.isEmpty() || !Character.isLetter(out.charAt(0))) out.insert(0, "files");
        return out.toString();
    }
}
