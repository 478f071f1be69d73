package org.mirage4j.skeleton;

import java.io.IOException;
import org.mirage4j.testing.netns.NetNs;

/** A network namespace holding a persistent tap0 whose Linux side is 10.0.0.1/24: where an app or a VM attaches. */
final class TapNamespace {

    private TapNamespace() {}

    /** Creates the namespace (named after {@code prefix}) and its tap0, up; the caller closes it. */
    static NetNs create(String prefix) throws IOException {
        NetNs ns = NetNs.create(prefix);
        try {
            ns.exec("ip", "tuntap", "add", "tap0", "mode", "tap");
            ns.exec("ip", "addr", "add", "10.0.0.1/24", "dev", "tap0");
            ns.exec("ip", "link", "set", "tap0", "up");
            return ns;
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
    }
}
