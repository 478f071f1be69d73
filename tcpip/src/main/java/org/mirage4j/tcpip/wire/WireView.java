package org.mirage4j.tcpip.wire;

import io.netty.buffer.ByteBuf;

/**
 * What every checked view shares: binding to a region of a buffer only once the region passed the
 * view's length checks, so that no accessor of a bound view can read out of bounds.
 *
 * <p>A view borrows the buffer: it never retains or releases it, and the caller keeps it alive
 * while it uses the view. A view is reusable and belongs to one thread at a time.
 */
abstract class WireView {

    /** The bound buffer, or null while unbound (after a failed {@link #wrap}). */
    ByteBuf buf;
    /** Where the bound region starts in {@link #buf}. */
    int start;
    /** The bound region's length, as given to {@link #wrap}. */
    int length;

    /** The view's own checks of {@code length} octets at {@code index}: null when they pass, else why not. */
    abstract Malformed problem(ByteBuf buf, int index, int length);

    /** Called once the view is bound, for views that derive more from the region (e.g. where options end). */
    void bound() {}

    /**
     * Binds this view to {@code length} octets at {@code index} of {@code buf}, if they pass the view's checks.
     * The caller keeps ownership of {@code buf} and keeps it alive while it uses the view.
     *
     * @return {@code null} when bound; otherwise why not, and the view is left unbound
     * @throws IndexOutOfBoundsException if the region is not within {@code buf}'s written bytes (a caller's bug)
     */
    public final Malformed wrap(ByteBuf buf, int index, int length) {
        Malformed problem = problem(buf, index, length);
        this.buf = problem == null ? buf : null;
        this.start = index;
        this.length = length;
        if (problem == null) bound();
        return problem;
    }

    /** {@link #wrap(ByteBuf, int, int)} over the readable bytes of {@code buf}. */
    public final Malformed wrap(ByteBuf buf) {
        return wrap(buf, buf.readerIndex(), buf.readableBytes());
    }
}
