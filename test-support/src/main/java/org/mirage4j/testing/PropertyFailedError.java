package org.mirage4j.testing;

/**
 * Reports the failing try of a {@link Property}: the first line names the try, its seed and the command that reruns
 * it; the rest is the original failure, which is also the cause.
 */
public final class PropertyFailedError extends AssertionError {

    private static final long serialVersionUID = 1L;

    private final long seed;

    PropertyFailedError(PropertyTry propertyTry, Throwable failure) {
        super(propertyTry.describe() + System.lineSeparator() + failure, failure);
        this.seed = propertyTry.seed();
    }

    /** The seed of the failing try, as {@code -Dmirage.seed} takes it. */
    public long seed() {
        return seed;
    }
}
