package org.mirage4j.config;

/** An application's configuration: implemented by its {@code Config} class, evaluated at build time. */
@FunctionalInterface
public interface MirageConfig {

    /** Says which job the unikernel runs and which devices and keys it gets, for {@code m.target()}. */
    Unikernel configure(Mirage m);
}
