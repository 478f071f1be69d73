package org.mirage4j.tcpip.wire;

/**
 * The outcome of parsing a representation from a view: the representation, or why it was rejected.
 *
 * <pre>{@code
 * switch (Ipv4Repr.parse(packet)) {
 *     case Parsed.Ok(Ipv4Repr ip) -> deliver(ip, packet);
 *     case Parsed.Rejected(Malformed reason) -> stats.dropped(reason);
 * }
 * }</pre>
 *
 * @param <T> the representation
 */
public sealed interface Parsed<T> {

    /** The input was accepted. */
    record Ok<T>(T value) implements Parsed<T> {}

    /** The input was rejected for {@code reason}. */
    record Rejected<T>(Malformed reason) implements Parsed<T> {}

    /** An accepted outcome. */
    static <T> Parsed<T> ok(T value) {
        return new Ok<>(value);
    }

    /** A rejected outcome; allocates nothing, so a flood of malformed packets creates no garbage. */
    @SuppressWarnings("unchecked") // Rejected holds no T, so one instance serves every T
    static <T> Parsed<T> rejected(Malformed reason) {
        return (Parsed<T>) reason.rejected;
    }

    /** The value if accepted, else {@code null}. */
    default T valueOrNull() {
        return this instanceof Ok<T>(T value) ? value : null;
    }

    /** The reason if rejected, else {@code null}. */
    default Malformed reasonOrNull() {
        return this instanceof Rejected<T>(Malformed reason) ? reason : null;
    }
}
