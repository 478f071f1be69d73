package org.mirage4j.api;

import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a constructor parameter as the value of a runtime key, given on the command line as
 * {@code --name=value} (unix) or on the kernel command line (kvm).
 *
 * <pre>{@code
 * @Inject Dispatch(Console console, @Key("port") int port) { ... }
 * }</pre>
 *
 * The key itself (type, default, documentation) is declared in {@code Config.java}; the build
 * checks that every {@code @Key} parameter names a declared key of the same type.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.METHOD, ElementType.FIELD})
public @interface Key {
    /** The key's name, as written after {@code --} on the command line. */
    String value();
}
