package org.mirage4j.skeleton.http;

import org.mirage4j.config.Mirage;
import org.mirage4j.config.MirageConfig;
import org.mirage4j.config.Unikernel;

/** A stack, the files of {@code htdocs/} embedded at build time, and the port to serve on. */
public final class Config implements MirageConfig {

    @Override
    public Unikernel configure(Mirage m) {
        var stack = m.genericStackV4V6(m.defaultNetwork());
        var htdocs = m.crunch("htdocs");
        var port = m.key("port", Integer.class, 8080, "TCP port to serve HTTP on");
        return m.register("http", m.main(Dispatch.class, m.defaultConsole(), stack, htdocs).keys(port));
    }
}
