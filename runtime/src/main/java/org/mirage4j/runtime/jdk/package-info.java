/**
 * Clocks, sleep and randomness from the JDK. They serve both targets: on kvm the JVM runs on the
 * image's kernel, whose clocks and entropy the JDK reads as on any Linux.
 */
package org.mirage4j.runtime.jdk;
