package org.mirage4j.skeleton.hello;

import org.mirage4j.config.Mirage;
import org.mirage4j.config.MirageConfig;
import org.mirage4j.config.Unikernel;

/** The configuration: a console and a way to sleep. Evaluated at build time, for the build's target. */
public final class Config implements MirageConfig {

    @Override
    public Unikernel configure(Mirage m) {
        return m.register("hello", m.main(Dispatch.class, m.defaultConsole(), m.sleep()));
    }
}
