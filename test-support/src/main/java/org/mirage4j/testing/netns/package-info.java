/**
 * Network namespaces for integration tests: {@link org.mirage4j.testing.netns.NetNs} makes one
 * per test, runs commands and background peers inside it, and deletes it (killing what still runs
 * in it) when closed, also when the test fails; {@link org.mirage4j.testing.netns.RequiresNetNs}
 * skips a test on a machine where it cannot run, or fails it there when {@code CI=true}.
 *
 * <p>Contract: nothing here configures the machine's own network namespace; every command runs
 * through {@code ip netns exec} in a namespace this package created. The commands are the host's
 * ({@code ip} from iproute2, and whatever a test asks for, such as {@code ping}), run as separate
 * processes; this package has no native code.
 */
package org.mirage4j.testing.netns;
