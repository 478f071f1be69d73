package org.mirage4j.runtime.jdk;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import org.mirage4j.api.Random;

/** {@link SecureRandom}, seeded by the JDK from the kernel's entropy. Thread-safe. */
@Singleton
final class JdkRandom implements Random {

    private final SecureRandom random = new SecureRandom();

    @Inject
    JdkRandom() {}

    @Override
    public void nextBytes(byte[] bytes) {
        random.nextBytes(bytes);
    }

    @Override
    public int nextInt() {
        return random.nextInt();
    }

    @Override
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    @Override
    public long nextLong() {
        return random.nextLong();
    }
}
