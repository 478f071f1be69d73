package org.mirage4j.net.unix;

import java.util.List;
import java.util.regex.Pattern;
import java.util.random.RandomGenerator;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.KeyType;
import org.mirage4j.api.RuntimeKey;
import org.mirage4j.api.net.MacAddress;

/**
 * The runtime keys of the tap device, and their checked values.
 *
 * @param interfaceName the tap interface to attach to
 * @param mac the stack's address on the link (not the tap's own, which is the Linux side's)
 * @param netns the network namespace whose tap to attach to, or empty for the process's own
 */
record TapKeys(String interfaceName, MacAddress mac, String netns) {

    static final RuntimeKey<String> INTERFACE =
            RuntimeKey.optional("interface", KeyType.STRING, "tap0", "tap interface to attach to (created if missing)");
    static final RuntimeKey<String> MAC = RuntimeKey.optional("mac", KeyType.STRING, "",
            "MAC address of the stack on the tap, such as 02:00:00:00:00:02 (empty: a random locally administered one)");
    static final RuntimeKey<String> NETNS =
            RuntimeKey.optional("netns", KeyType.STRING, "", "network namespace whose tap to attach to (tests)");
    static final List<RuntimeKey<?>> ALL = List.of(INTERFACE, MAC, NETNS);

    /** What Linux accepts as an interface name, narrowed to characters that need no quoting. */
    private static final Pattern INTERFACE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    /** What {@code ip netns add} accepts, narrowed the same way. */
    private static final Pattern NAMESPACE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,255}");

    /**
     * Checks the keys' text.
     *
     * @param random draws the MAC address when {@code mac} is empty
     * @throws DeviceException saying which key is wrong and what a valid value looks like
     */
    static TapKeys parse(String interfaceName, String mac, String netns, RandomGenerator random)
            throws DeviceException {
        if (!INTERFACE_NAME.matcher(interfaceName).matches() || isDots(interfaceName)) {
            throw new DeviceException("--interface='" + interfaceName + "' is not a valid interface name:"
                    + " use 1 to 15 letters, digits, '-', '_' or '.', such as tap0.");
        }
        if (!netns.isEmpty() && (!NAMESPACE_NAME.matcher(netns).matches() || isDots(netns))) {
            throw new DeviceException("--netns='" + netns + "' is not a valid network namespace name:"
                    + " use letters, digits, '-', '_' or '.', or leave it empty.");
        }
        return new TapKeys(interfaceName, mac.isBlank() ? randomMac(random) : parseMac(mac.strip()), netns);
    }

    /** A random unicast address with the locally administered bit set, as IEEE 802 reserves for this. */
    static MacAddress randomMac(RandomGenerator random) {
        long bits = random.nextLong() & 0xFFFF_FFFF_FFFFL;
        bits |= 0x0200_0000_0000L; // locally administered
        bits &= ~0x0100_0000_0000L; // unicast
        return new MacAddress(bits);
    }

    private static MacAddress parseMac(String text) throws DeviceException {
        MacAddress mac;
        try {
            mac = MacAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new DeviceException("--mac='" + text + "' is not a MAC address such as 02:00:00:00:00:02.", e);
        }
        if (mac.isMulticast() || mac.equals(MacAddress.ZERO)) {
            throw new DeviceException("--mac=" + mac + " cannot be the stack's own address:"
                    + " give a unicast one such as 02:00:00:00:00:02, or leave it empty for a random one.");
        }
        return mac;
    }

    private static boolean isDots(String name) {
        return name.equals(".") || name.equals("..");
    }
}
