package org.mirage4j.skeleton.hellokey;

import org.mirage4j.config.Mirage;
import org.mirage4j.config.MirageConfig;
import org.mirage4j.config.Unikernel;

/** Hello, with what to print as the runtime key {@code --hello}. */
public final class Config implements MirageConfig {

    @Override
    public Unikernel configure(Mirage m) {
        var hello = m.key("hello", String.class, "Hello World!", "what to print, four times");
        return m.register("hello-key", m.main(Dispatch.class, m.defaultConsole(), m.sleep()).keys(hello));
    }
}
