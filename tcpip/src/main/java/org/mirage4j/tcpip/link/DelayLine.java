package org.mirage4j.tcpip.link;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A bounded queue of frames, each waiting until its own due time: frames come out in order of due time, and in
 * order of arrival among equal due times. {@link FaultyNetwork} passes frames through it to delay them or hold them
 * back.
 *
 * <p>Ownership: a frame handed to {@link #offer} or {@link #put} belongs to the line until {@link #take},
 * {@link #remove} or {@link #close} gives it back; when those methods return {@code null}, the caller keeps it.
 *
 * <p>Threads: safe for any number of producers and consumers. Waiting methods ignore interrupts (they return only
 * when their condition holds or the line closes) and keep the thread's interrupt status set for the caller.
 */
final class DelayLine {

    /** A frame in the line, with the time it falls due (in {@link #now()}'s nanoseconds). */
    static final class Entry {
        private final QueuedFrame frame;
        private final long due;
        private final long order;

        private Entry(QueuedFrame frame, long due, long order) {
            this.frame = frame;
            this.due = due;
            this.order = order;
        }

        /** The frame; it belongs to whoever took the entry out of the line. */
        QueuedFrame frame() {
            return frame;
        }
    }

    private final int capacity;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Due times are compared by difference, as System.nanoTime() asks, so a wrap-around sorts right.
    private final PriorityQueue<Entry> entries = new PriorityQueue<>((a, b) -> {
        long d = a.due - b.due;
        return d != 0 ? (d < 0 ? -1 : 1) : Long.compare(a.order, b.order);
    });
    private long nextOrder;
    private boolean closed;

    /**
     * @param capacity how many frames the line holds at most
     * @param nanoTime the clock of due times, such as {@code System::nanoTime}
     */
    DelayLine(int capacity, LongSupplier nanoTime) {
        if (capacity < 1) throw new IllegalArgumentException("A delay line holds at least 1 frame, not " + capacity + ".");
        this.capacity = capacity;
        this.nanoTime = nanoTime;
    }

    /** The current time of the line's clock, in nanoseconds. */
    long now() {
        return nanoTime.getAsLong();
    }

    /** Adds {@code frame}, due at {@code due}; {@code null} (the caller keeps the frame) if the line is full or closed. */
    Entry offer(QueuedFrame frame, long due) {
        lock.lock();
        try {
            return closed || entries.size() >= capacity ? null : add(frame, due);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds {@code frame}, due at {@code due}, first waiting for room while the line is full; {@code null} (the caller
     * keeps the frame) if the line is closed.
     */
    Entry put(QueuedFrame frame, long due) {
        boolean interrupted = false;
        lock.lock();
        try {
            while (!closed && entries.size() >= capacity) {
                try {
                    changed.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return closed ? null : add(frame, due);
        } finally {
            lock.unlock();
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** Takes {@code entry} out of the line before it falls due; {@code false} if someone else took it already. */
    boolean remove(Entry entry) {
        lock.lock();
        try {
            if (!entries.remove(entry)) return false;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code entry} is still in the line. */
    boolean holds(Entry entry) {
        lock.lock();
        try {
            return entries.contains(entry);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the first frame falls due and takes it out: the caller then owns its frame. Returns {@code null}
     * once the line is closed.
     */
    Entry take() {
        boolean interrupted = false;
        lock.lock();
        try {
            while (!closed) {
                Entry first = entries.peek();
                long wait = first == null ? Long.MAX_VALUE : first.due - now();
                if (wait <= 0) {
                    entries.poll();
                    changed.signalAll(); // room for a producer waiting in put()
                    return first;
                }
                try {
                    if (first == null) {
                        changed.await();
                    } else {
                        changed.await(wait, TimeUnit.NANOSECONDS);
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return null;
        } finally {
            lock.unlock();
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /**
     * Closes the line: waiting calls return, later ones add and take nothing. Returns the frames still in the line,
     * which the caller now owns and must release; a second call returns none.
     */
    List<QueuedFrame> close() {
        lock.lock();
        try {
            closed = true;
            List<QueuedFrame> left = new ArrayList<>(entries.size());
            for (Entry e; (e = entries.poll()) != null; ) {
                left.add(e.frame);
            }
            changed.signalAll();
            return left;
        } finally {
            lock.unlock();
        }
    }

    /** How many frames are in the line. */
    int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    private Entry add(QueuedFrame frame, long due) {
        Entry entry = new Entry(frame, due, nextOrder++);
        entries.add(entry);
        changed.signalAll(); // a taker may now have an earlier frame to wait for
        return entry;
    }
}
