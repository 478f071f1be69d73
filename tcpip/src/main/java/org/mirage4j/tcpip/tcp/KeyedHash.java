package org.mirage4j.tcpip.tcp;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.mirage4j.api.Random;

/**
 * A keyed pseudo-random function of a connection's four-tuple and two more words: HMAC-SHA-256 under a secret key
 * drawn once from the injected {@link Random}, truncated to 32 bits. RFC 6528 section 3 asks for such a function
 * for initial sequence numbers; SYN cookies use one too. Not thread-safe: it reuses its scratch space.
 */
final class KeyedHash {

    private static final String ALGORITHM = "HmacSHA256";

    private final Mac mac;
    private final byte[] input = new byte[20];
    private final byte[] output;

    KeyedHash(Random random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        try {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every Java runtime has " + ALGORITHM + ", but this one does not.", e);
        }
        output = new byte[mac.getMacLength()];
    }

    /** The first 32 bits of the function at {@code tuple}, {@code a} and {@code b}. */
    int hash(FourTuple tuple, int a, int b) {
        putInt(0, tuple.localAddress().bits());
        putInt(4, tuple.remoteAddress().bits());
        putInt(8, (tuple.localPort() << 16) | tuple.remotePort());
        putInt(12, a);
        putInt(16, b);
        mac.update(input);
        try {
            mac.doFinal(output, 0);
        } catch (javax.crypto.ShortBufferException e) {
            throw new AssertionError("the output array has the MAC's length", e);
        }
        return ((output[0] & 0xFF) << 24) | ((output[1] & 0xFF) << 16) | ((output[2] & 0xFF) << 8) | (output[3] & 0xFF);
    }

    private void putInt(int at, int value) {
        input[at] = (byte) (value >>> 24);
        input[at + 1] = (byte) (value >>> 16);
        input[at + 2] = (byte) (value >>> 8);
        input[at + 3] = (byte) value;
    }
}
