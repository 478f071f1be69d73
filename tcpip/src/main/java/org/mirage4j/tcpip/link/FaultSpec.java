package org.mirage4j.tcpip.link;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;
import org.mirage4j.api.KeyType;

/**
 * Which faults a {@link FaultyNetwork} injects, how often, and from which seed: the value of the runtime key
 * {@code --faults}, written as comma-separated entries such as
 * {@code drop=0.01,duplicate=0.01,reorder=0.02,delay=0.05:20ms,flip=0.001,truncate=0.001,seed=42,direction=both}.
 *
 * <p>Each rate is the chance, from 0 to 1, that the fault happens to a frame, drawn independently per frame:
 * <ul>
 *   <li>{@code drop}: the frame is lost.</li>
 *   <li>{@code duplicate}: the frame is passed on twice, the copy right after the original.</li>
 *   <li>{@code reorder=RATE[:K]}: the frame is held back and passed on right after the next {@code K} frames
 *       (default 1), or after {@link FaultyNetwork#MAX_HOLD} (10ms) if fewer come. One frame per direction is held at a time; a frame
 *       that arrives while another is held passes.</li>
 *   <li>{@code delay=RATE[:DURATION]}: the frame is passed on {@code DURATION} later (default 10ms, at most 10s);
 *       frames behind it overtake it.</li>
 *   <li>{@code flip}: one random bit of the frame is inverted.</li>
 *   <li>{@code truncate}: the frame is cut to a random length from 14 bytes (its Ethernet header) to one byte
 *       short of its own length.</li>
 * </ul>
 * {@code seed} makes a run repeatable (absent: the device draws one and logs it); {@code direction} says whether
 * faults apply to received frames ({@code rx}), sent frames ({@code tx}) or {@code both} (the default).
 *
 * <p>{@link #parse} and {@link #format} are inverses: {@code parse(s.format())} equals {@code s}. The empty text is
 * {@link #NONE}.
 *
 * @param drop the rate of lost frames
 * @param duplicate the rate of frames passed on twice
 * @param reorder the rate of frames held back behind later ones
 * @param reorderAfter how many later frames pass a held frame, 1 to {@link #MAX_REORDER_AFTER}
 * @param delay the rate of delayed frames
 * @param delayBy how long a delayed frame waits, more than zero and at most {@link #MAX_DELAY}
 * @param flip the rate of frames with one bit inverted
 * @param truncate the rate of frames cut short
 * @param seed the seed of the fault sequence, or empty to draw one
 * @param direction which frames the faults apply to
 */
public record FaultSpec(
        double drop,
        double duplicate,
        double reorder,
        int reorderAfter,
        double delay,
        Duration delayBy,
        double flip,
        double truncate,
        OptionalLong seed,
        Direction direction) {

    /** How long a delayed frame waits when the spec says {@code delay=RATE} alone. */
    public static final Duration DEFAULT_DELAY = Duration.ofMillis(10);
    /** The longest delay: longer ones would keep too many frames in memory. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(10);
    /** The most frames that may overtake a held frame. */
    public static final int MAX_REORDER_AFTER = 64;
    /** No fault at all, in both directions, without a seed: what the empty text means. */
    public static final FaultSpec NONE =
            new FaultSpec(0, 0, 0, 1, 0, DEFAULT_DELAY, 0, 0, OptionalLong.empty(), Direction.BOTH);

    private static final String EXAMPLE = "drop=0.01,delay=0.05:20ms,seed=42";

    /** Which frames a {@link FaultSpec} damages. */
    public enum Direction {
        /** Received and sent frames. */
        BOTH("both"),
        /** Received frames only. */
        RX("rx"),
        /** Sent frames only. */
        TX("tx");

        private final String text;

        Direction(String text) {
            this.text = text;
        }

        /** Whether faults apply to frames the device receives. */
        public boolean receive() {
            return this != TX;
        }

        /** Whether faults apply to frames the stack sends. */
        public boolean send() {
            return this != RX;
        }

        /** The name in a spec: {@code both}, {@code rx} or {@code tx}. */
        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException with one sentence naming the value that is out of range
     */
    public FaultSpec {
        // Adding 0.0 turns -0.0 into 0.0, so that a spec equals what its text parses back to.
        drop = rate("drop", drop) + 0.0;
        duplicate = rate("duplicate", duplicate) + 0.0;
        reorder = rate("reorder", reorder) + 0.0;
        delay = rate("delay", delay) + 0.0;
        flip = rate("flip", flip) + 0.0;
        truncate = rate("truncate", truncate) + 0.0;
        if (reorderAfter < 1 || reorderAfter > MAX_REORDER_AFTER) {
            throw new IllegalArgumentException("A reorder count of " + reorderAfter + " is out of range; use 1 to "
                    + MAX_REORDER_AFTER + " later frames, as in reorder=0.02:3.");
        }
        Objects.requireNonNull(delayBy, "delayBy");
        if (delayBy.isNegative() || delayBy.isZero() || delayBy.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("A delay of " + formatDuration(delayBy)
                    + " is out of range; use more than 0 and at most 10s, as in delay=0.05:20ms.");
        }
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(direction, "direction");
    }

    /**
     * Parses the text of {@code --faults}; entries may come in any order, each at most once.
     *
     * @throws IllegalArgumentException with one sentence saying which entry is wrong and what to write instead
     */
    public static FaultSpec parse(String text) {
        Objects.requireNonNull(text, "text");
        double drop = 0, duplicate = 0, reorder = 0, delay = 0, flip = 0, truncate = 0;
        int reorderAfter = NONE.reorderAfter;
        Duration delayBy = NONE.delayBy;
        OptionalLong seed = OptionalLong.empty();
        Direction direction = Direction.BOTH;
        Set<String> seen = new HashSet<>();
        for (String raw : text.split(",", -1)) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                if (text.isBlank()) break;
                throw new IllegalArgumentException("The fault list '" + text
                        + "' has an empty entry; separate entries with single commas, as in " + EXAMPLE + ".");
            }
            int equals = entry.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("The entry '" + entry + "' has no value; write it as name=value, as in "
                        + EXAMPLE + ".");
            }
            String name = entry.substring(0, equals).strip().toLowerCase(Locale.ROOT);
            String value = entry.substring(equals + 1).strip();
            if (!seen.add(name)) {
                throw new IllegalArgumentException("'" + name + "' is given twice; give each fault at most once.");
            }
            String first = value;
            String second = null;
            int colon = value.indexOf(':');
            if (colon >= 0) {
                if (!name.equals("delay") && !name.equals("reorder")) {
                    throw new IllegalArgumentException("The entry '" + entry + "' has a second value after ':', which only"
                            + " delay (delay=0.05:20ms) and reorder (reorder=0.02:3) take.");
                }
                first = value.substring(0, colon).strip();
                second = value.substring(colon + 1).strip();
            }
            switch (name) {
                case "drop" -> drop = parseRate(name, first);
                case "duplicate" -> duplicate = parseRate(name, first);
                case "flip" -> flip = parseRate(name, first);
                case "truncate" -> truncate = parseRate(name, first);
                case "reorder" -> {
                    reorder = parseRate(name, first);
                    if (second != null) reorderAfter = parseReorderAfter(second);
                }
                case "delay" -> {
                    delay = parseRate(name, first);
                    if (second != null) delayBy = parseDelay(second);
                }
                case "seed" -> seed = OptionalLong.of(parseSeed(value));
                case "direction" -> direction = parseDirection(value);
                default -> throw new IllegalArgumentException("'" + name + "' is not a fault; use drop, duplicate, reorder,"
                        + " delay, flip, truncate, seed or direction, as in " + EXAMPLE + ".");
            }
        }
        return new FaultSpec(drop, duplicate, reorder, reorderAfter, delay, delayBy, flip, truncate, seed, direction);
    }

    /**
     * The text that {@link #parse} turns back into this spec: the entries that differ from {@link #NONE}, in the
     * order of the record's components ({@code ""} for {@link #NONE}).
     */
    public String format() {
        StringJoiner out = new StringJoiner(",");
        if (drop != 0) out.add("drop=" + formatRate(drop));
        if (duplicate != 0) out.add("duplicate=" + formatRate(duplicate));
        if (reorder != 0 || reorderAfter != NONE.reorderAfter) {
            out.add("reorder=" + formatRate(reorder) + (reorderAfter == NONE.reorderAfter ? "" : ":" + reorderAfter));
        }
        if (delay != 0 || !delayBy.equals(NONE.delayBy)) out.add("delay=" + formatRate(delay) + ":" + formatDuration(delayBy));
        if (flip != 0) out.add("flip=" + formatRate(flip));
        if (truncate != 0) out.add("truncate=" + formatRate(truncate));
        seed.ifPresent(s -> out.add("seed=" + s));
        if (direction != Direction.BOTH) out.add("direction=" + direction);
        return out.toString();
    }

    /** This spec with {@code seed}, so that the run it drives can be repeated. */
    public FaultSpec withSeed(long seed) {
        return new FaultSpec(drop, duplicate, reorder, reorderAfter, delay, delayBy, flip, truncate, OptionalLong.of(seed),
                direction);
    }

    /** Whether any fault applies to received frames. */
    public boolean affectsReceive() {
        return direction.receive() && anyRate();
    }

    /** Whether any fault applies to sent frames. */
    public boolean affectsSend() {
        return direction.send() && anyRate();
    }

    /** Whether this spec may hold frames back in time (delay or reorder), which needs a queue and a timer. */
    boolean holdsFrames() {
        return delay != 0 || reorder != 0;
    }

    @Override
    public String toString() {
        return format();
    }

    private boolean anyRate() {
        return drop != 0 || duplicate != 0 || reorder != 0 || delay != 0 || flip != 0 || truncate != 0;
    }

    private static double rate(String name, double rate) {
        // The negated test also rejects NaN.
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("The rate of " + name + ", " + rate
                    + ", is not between 0 and 1; use a fraction such as 0.01 for one frame in a hundred.");
        }
        return rate;
    }

    private static double parseRate(String name, String text) {
        double rate;
        try {
            rate = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            rate = Double.NaN;
        }
        // Double.parseDouble also reads "Infinity" and "0x1p-3": a rate is written in decimals.
        if (!(rate >= 0 && rate <= 1) || !text.matches("[0-9.eE+-]+")) {
            throw new IllegalArgumentException("The rate of " + name + ", '" + text
                    + "', is not a number from 0 to 1; use a fraction such as 0.01 for one frame in a hundred.");
        }
        return rate;
    }

    private static int parseReorderAfter(String text) {
        try {
            int after = Integer.parseInt(text);
            if (after >= 1 && after <= MAX_REORDER_AFTER) return after;
        } catch (NumberFormatException e) {
            // the one message below
        }
        throw new IllegalArgumentException("The reorder count '" + text + "' is not a whole number from 1 to "
                + MAX_REORDER_AFTER + " (the later frames that pass a held one), as in reorder=0.02:3.");
    }

    private static Duration parseDelay(String text) {
        Duration delayBy;
        try {
            delayBy = KeyType.DURATION.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The delay '" + text + "' is not a duration; use one such as 20ms or 1s,"
                    + " as in delay=0.05:20ms.");
        }
        if (delayBy.isNegative() || delayBy.isZero() || delayBy.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("The delay '" + text
                    + "' is out of range; use more than 0 and at most 10s, as in delay=0.05:20ms.");
        }
        return delayBy;
    }

    private static long parseSeed(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The seed '" + text + "' is not a whole number; use one such as seed=42.");
        }
    }

    private static Direction parseDirection(String text) {
        for (Direction d : Direction.values()) {
            if (d.text.equalsIgnoreCase(text)) return d;
        }
        throw new IllegalArgumentException("'" + text + "' is not a direction; use direction=both, direction=rx"
                + " (received frames) or direction=tx (sent frames).");
    }

    /** The shortest decimal that parses back to {@code rate}, without an exponent unless it would be long. */
    private static String formatRate(double rate) {
        BigDecimal exact = BigDecimal.valueOf(rate).stripTrailingZeros();
        return exact.scale() <= 12 ? exact.toPlainString() : Double.toString(rate);
    }

    /** {@code 20ms} for whole milliseconds, else ISO-8601 ({@code PT0.0205S}); both parse back exactly. */
    private static String formatDuration(Duration d) {
        boolean wholeMillis = d.getNano() % 1_000_000 == 0;
        if (wholeMillis && !d.isNegative()) {
            try {
                return d.toMillis() + "ms";
            } catch (ArithmeticException e) {
                // too long for milliseconds: fall back to ISO-8601
            }
        }
        return d.toString();
    }
}
