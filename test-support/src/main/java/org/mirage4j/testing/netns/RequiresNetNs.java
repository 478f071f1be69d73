package org.mirage4j.testing.netns;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class or method only where it can make network namespaces and tap interfaces:
 * as root (with {@code CAP_NET_ADMIN} and {@code CAP_SYS_ADMIN}), with the {@code ip} command,
 * and with {@code /dev/net/tun}. Elsewhere the test is skipped with the reason, except when the
 * environment variable {@code CI} is {@code true}: there a missing requirement fails the test, so
 * that a CI machine without them cannot pass by skipping.
 */
@Documented
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(NetNsCondition.class)
public @interface RequiresNetNs {}
