package org.mirage4j.testing;

import io.netty.buffer.ByteBuf;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Netty's leak detector, made to hand its reports to {@link LeakCheck} instead of logging them.
 *
 * <p>Netty notices a leak when a tracked buffer that was never released is garbage-collected, and reports it the
 * next time it tracks a buffer. {@link #install()} puts a {@link ResourceLeakDetectorFactory} in place before netty
 * creates its {@code ByteBuf} detector, so that detector is a {@link RecordingDetector}: it counts the buffers it
 * tracks, labels each with the test that allocated it, and queues every report. {@link #collect(boolean)} returns
 * the queued reports, after a garbage collection when asked.
 */
final class LeakDetection {

    /** A leaked buffer: the test that allocated it, and netty's record of where it was created and touched. */
    record Leak(String allocatedDuring, String record) {}

    private static final System.Logger LOG = System.getLogger("testing.leak");
    private static final long GC_WAIT_MILLIS = 200;
    private static final String ALLOCATED_DURING = " was allocated during ";
    private static final String UNKNOWN_TEST = "an unknown test";
    /** Frames of the test runner, which every record repeats and nobody needs. */
    private static final List<String> RUNNER_FRAMES = List.of(
            "\torg.junit.", "\torg.apache.maven.surefire.", "\tjava.base/jdk.internal.reflect.",
            "\tjava.base/java.lang.reflect.", "\tjava.base/java.util.", "\torg.mirage4j.testing.LeakDetection");

    private static final Queue<Leak> LEAKS = new ConcurrentLinkedQueue<>();
    private static final AtomicLong TRACKED = new AtomicLong();
    private static final AtomicLong ALLOCATIONS = new AtomicLong();
    private static final AtomicLong COLLECTIONS = new AtomicLong();
    private static volatile String currentTest = "no test";
    private static boolean installed;

    private LeakDetection() {}

    /**
     * Makes netty's {@code ByteBuf} leak detector report to this class; does nothing the second time. Must run
     * before any {@code ByteBuf} class is initialised, which {@link LeakCheckSessionListener} ensures.
     */
    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        // The root pom asks for PARANOID; a run that does not (an IDE) gets it too, unless it chose a level itself.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        }
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
        long before = TRACKED.get();
        TrackedHeapAllocator.INSTANCE.heapBuffer(1).release();
        if (TRACKED.get() == before && ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.PARANOID) {
            LOG.log(System.Logger.Level.WARNING, "Netty created its ByteBuf leak detector before the leak check"
                    + " was installed; leaked buffers will be logged by netty but will not fail tests.");
        }
    }

    /** Labels the buffers allocated from now on as allocated during {@code test}. */
    static void enter(String test) {
        currentTest = test;
    }

    /** How many buffers netty has tracked so far; a test that changed it may have leaked one. */
    static long trackedCount() {
        return TRACKED.get();
    }

    /**
     * The leaks netty has reported since the last call. With {@code collectGarbage}, first collects garbage, so
     * that a buffer dropped without a release is reported now rather than at some later allocation.
     */
    static List<Leak> collect(boolean collectGarbage) {
        if (collectGarbage) {
            collectGarbage();
        }
        // Netty reports collected leaks only when it next tracks a buffer.
        ByteBuf probe = TrackedHeapAllocator.INSTANCE.heapBuffer(1);
        probe.release();
        List<Leak> leaks = new ArrayList<>();
        for (Leak leak; (leak = LEAKS.poll()) != null; ) {
            leaks.add(leak);
        }
        return leaks;
    }

    /** How many times {@link #collect(boolean)} has collected garbage: a cost that tests keep down. */
    static long garbageCollections() {
        return COLLECTIONS.get();
    }

    private static void collectGarbage() {
        COLLECTIONS.incrementAndGet();
        // Netty's trackers are weak references; ours is enqueued by the same reference-processing pass.
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        System.gc();
        try {
            queue.remove(GC_WAIT_MILLIS);
            // The reference handler thread enqueues one collection's references in one pass; let it finish.
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sentinel.clear();
    }

    /** Netty's record without the test runner's frames, and the test named by the allocation hint. */
    private static Leak leak(String records) {
        String allocatedDuring = UNKNOWN_TEST;
        List<String> kept = new ArrayList<>();
        for (String line : records.split("\\R")) {
            int hint = line.indexOf(ALLOCATED_DURING);
            if (hint >= 0 && allocatedDuring.equals(UNKNOWN_TEST)) {
                allocatedDuring = line.substring(hint + ALLOCATED_DURING.length());
            }
            if (RUNNER_FRAMES.stream().noneMatch(line::startsWith)) {
                kept.add(line);
            }
        }
        return new Leak(allocatedDuring, kept.stream().collect(Collectors.joining(System.lineSeparator())));
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {

        /** Deprecated, but still abstract, and what netty's two-argument form calls. */
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                Class<T> resource, int samplingInterval, long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }

        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    /** Netty's detector, plus counting, a hint naming the allocating test, and a queue instead of a log. */
    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {

        RecordingDetector(Class<?> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        public ResourceLeakTracker<T> track(T obj) {
            TRACKED.incrementAndGet();
            return super.track(obj);
        }

        @Override
        protected boolean needReport() {
            // Netty skips reporting when its logger is quiet; the tests must hear of every leak regardless.
            return true;
        }

        @Override
        protected Object getInitialHint(String resourceType) {
            // Netty reports a given record only once; the number keeps two leaks from one line both reported.
            return resourceType + " #" + ALLOCATIONS.incrementAndGet() + ALLOCATED_DURING + currentTest;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add(leak(records));
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add(new Leak(UNKNOWN_TEST, "(no record: run with -Dio.netty.leakDetection.level=paranoid"
                    + " to see where it was allocated)"));
        }
    }
}
