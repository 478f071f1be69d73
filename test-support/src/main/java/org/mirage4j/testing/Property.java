package org.mirage4j.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a method that takes one {@link Gen} as a property test run {@link #tries()} times, each try with its own
 * seed.
 *
 * <pre>{@code
 * @Property
 * void parsesWhatItFormats(Gen gen) {
 *     var address = new Ipv4Address(gen.random().nextInt());
 *     assertThat(Ipv4Address.parse(address.toString())).isEqualTo(address);
 * }
 * }</pre>
 *
 * <p>The seeds of the tries come from a base seed that is random per run. The first failing try stops the
 * property, and its error names the try, its seed and the command that reruns exactly that try:
 * {@code ./mvnw -pl <module> test -Dtest=<Class>#<method> -Dmirage.seed=0x...}. With the system property
 * {@code mirage.seed} set, each property runs one try, with that seed.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(PropertyExtension.class)
public @interface Property {

    /** How many tries to run, each with a new seed. */
    int tries() default 200;
}
