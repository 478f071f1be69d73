/**
 * Hostile input and faults against the direct stack (issue 9): a stack under test and its peer on wired in-memory
 * links ({@link org.mirage4j.reliability.StackPair}), with the peer's side able to damage frames, and the soak run
 * ({@link org.mirage4j.reliability.Soak}) that loads them for as long as asked and says whether memory, buffers or
 * flow counts grow. The fuzz tests, the barrage test and the scapy test live in this module's tests.
 *
 * <p>Contract: everything here goes through the stack's public API only; a {@link org.mirage4j.reliability.StackPair}
 * is used from any threads and closed once by its owner.
 */
package org.mirage4j.reliability;
