package org.mirage4j.api;

/**
 * A source of cryptographically strong random bytes (the counterpart of mirage-crypto-rng), for
 * sequence numbers, ports, DHCP transaction ids and keys. Safe to use from any thread.
 */
public interface Random extends Device {

    /** Fills {@code bytes} with random bytes. */
    void nextBytes(byte[] bytes);

    /** A random 32-bit value. */
    int nextInt();

    /** A random value from 0 (inclusive) to {@code bound} (exclusive); {@code bound} must be positive. */
    int nextInt(int bound);

    /** A random 64-bit value. */
    long nextLong();
}
