package org.mirage4j.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test only where the named programs (real peers such as {@code socat}, {@code curl},
 * {@code qemu-system-x86_64}) are on the {@code PATH}: skipped with the reason elsewhere, failed
 * instead when {@code CI=true}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(RequiresCommandsCondition.class)
public @interface RequiresCommands {
    /** The programs, by name. */
    String[] value();
}
