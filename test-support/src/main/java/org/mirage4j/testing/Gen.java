package org.mirage4j.testing;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A source of random test values, fully determined by one seed.
 *
 * <p>A {@link Property} method receives a fresh {@code Gen} per try; two {@code Gen}s made from the same seed
 * return the same values for the same sequence of calls, which is what makes a failing try reproducible.
 * Not thread-safe: use it from the test's thread.
 */
public final class Gen {

    private static final int MAX_EXTENSION = 16;

    private final long seed;
    private final SplittableRandom random;

    /** Makes a generator whose values are determined by {@code seed}. */
    public Gen(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** The seed this generator was made from; {@code new Gen(seed())} repeats its values. */
    public long seed() {
        return seed;
    }

    /** The underlying random source, for values the methods here do not cover. */
    public SplittableRandom random() {
        return random;
    }

    /** A uniformly chosen int in {@code [lo, hiInclusive]}. */
    public int intBetween(int lo, int hiInclusive) {
        if (lo > hiInclusive) {
            throw new IllegalArgumentException("lo " + lo + " is above hiInclusive " + hiInclusive);
        }
        return (int) random.nextLong(lo, (long) hiInclusive + 1);
    }

    /** Any long, every bit pattern equally likely. */
    public long longValue() {
        return random.nextLong();
    }

    /** True or false with equal odds. */
    public boolean bool() {
        return random.nextBoolean();
    }

    /** {@code len} random bytes. */
    public byte[] bytes(int len) {
        byte[] bytes = new byte[len];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Random bytes, of a length chosen uniformly in {@code [minLen, maxLen]}. */
    public byte[] bytes(int minLen, int maxLen) {
        return bytes(intBetween(minLen, maxLen));
    }

    /** One of {@code choices}, each equally likely. */
    @SafeVarargs
    public final <T> T oneOf(T... choices) {
        if (choices.length == 0) {
            throw new IllegalArgumentException("oneOf needs at least one choice");
        }
        return choices[random.nextInt(choices.length)];
    }

    /** One element of {@code choices}, each equally likely. */
    public <T> T oneOf(List<? extends T> choices) {
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("oneOf needs at least one choice");
        }
        return choices.get(random.nextInt(choices.size()));
    }

    /** A mutable list of {@code [min, max]} elements, each made by a call to {@code element}. */
    public <T> List<T> listOf(int min, int max, Supplier<? extends T> element) {
        Objects.requireNonNull(element, "element");
        int size = intBetween(min, max);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.get());
        }
        return list;
    }

    /** A string of {@code [min, max]} printable ASCII characters (space to tilde, 0x20 to 0x7e). */
    public String asciiString(int min, int max) {
        char[] chars = new char[intBetween(min, max)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) intBetween(0x20, 0x7e);
        }
        return new String(chars);
    }

    /**
     * An unpooled heap buffer holding {@code [minLen, maxLen]} random readable bytes, from
     * {@link TrackedHeapAllocator}.
     *
     * <p>The caller owns the returned buffer (reference count 1) and must release it; the leak check fails the
     * test otherwise.
     */
    public ByteBuf byteBuf(int minLen, int maxLen) {
        byte[] content = bytes(minLen, maxLen);
        return TrackedHeapAllocator.INSTANCE.heapBuffer(content.length).writeBytes(content);
    }

    /**
     * A damaged copy of {@code original}, for "arbitrary and truncated input never throws" tests: one of
     * flipped bits, a truncation, random bytes appended, or a run overwritten with random bytes, zeros or ones.
     * The copy always differs from {@code original}, which is left unchanged.
     */
    public byte[] mutate(byte[] original) {
        byte[] copy = original.length == 0 ? extend(original) : switch (random.nextInt(4)) {
            case 0 -> flipBits(original);
            case 1 -> Arrays.copyOf(original, random.nextInt(original.length));
            case 2 -> extend(original);
            default -> overwriteRun(original);
        };
        if (Arrays.equals(copy, original)) {
            // An overwrite can rewrite the same bytes by chance; a flipped bit keeps the promise to damage.
            copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
    }

    private byte[] flipBits(byte[] original) {
        byte[] copy = original.clone();
        int flips = intBetween(1, 8);
        for (int i = 0; i < flips; i++) {
            copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
    }

    private byte[] extend(byte[] original) {
        byte[] copy = Arrays.copyOf(original, original.length + intBetween(1, MAX_EXTENSION));
        for (int i = original.length; i < copy.length; i++) {
            copy[i] = (byte) random.nextInt(256);
        }
        return copy;
    }

    private byte[] overwriteRun(byte[] original) {
        byte[] copy = original.clone();
        int start = random.nextInt(copy.length);
        int end = intBetween(start + 1, copy.length);
        int fill = random.nextInt(3);
        for (int i = start; i < end; i++) {
            copy[i] = switch (fill) {
                case 0 -> 0;
                case 1 -> (byte) 0xff;
                default -> (byte) random.nextInt(256);
            };
        }
        return copy;
    }
}
