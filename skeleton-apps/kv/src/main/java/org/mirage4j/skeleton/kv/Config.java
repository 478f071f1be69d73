package org.mirage4j.skeleton.kv;

import org.mirage4j.config.Mirage;
import org.mirage4j.config.MirageConfig;
import org.mirage4j.config.Unikernel;

/**
 * A stack, a crash-safe key-value store on a block device (on unix the file --block-file, made with 16 MiB when
 * missing), and the port to serve on.
 */
public final class Config implements MirageConfig {

    @Override
    public Unikernel configure(Mirage m) {
        var stack = m.genericStackV4V6(m.defaultNetwork());
        var store = m.kvRw(m.block("disk", "16M"));
        var port = m.key("port", Integer.class, 7001, "TCP port of the key-value service");
        return m.register("kv", m.main(Dispatch.class, m.defaultConsole(), stack, store).keys(port));
    }
}
