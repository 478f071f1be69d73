package org.mirage4j.testing;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Fails a test that leaks a netty {@code ByteBuf}: one that was never released before it was garbage-collected.
 *
 * <p>Registered automatically for every Jupiter test of a module that has test-support on its test classpath (see
 * {@link LeakCheckSessionListener}); no annotation is needed. After each test that allocated a tracked buffer, it
 * collects garbage, lets netty's leak detector (at PARANOID) report, and fails the test with netty's record of
 * where each leaked buffer was allocated and last touched, and which test allocated it.
 *
 * <p>A {@link Property} collects garbage once, after its last try, not after every try (a collection costs
 * milliseconds); the failure then names the try that allocated the leaked buffer, its seed and the line that
 * reruns it. Leaks that surface only after a class's last test (a buffer held in a field) fail the class.
 *
 * <p>Netty does not track unpooled heap buffers ({@code Unpooled.buffer()}); tests should allocate from
 * {@link TrackedHeapAllocator} or netty's default allocator.
 */
public final class LeakCheck
        implements BeforeAllCallback, BeforeEachCallback, BeforeTestExecutionCallback, AfterEachCallback,
                AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakCheck.class);
    // Two keys, because a store also answers with its ancestors' values: a test must not find its class's count.
    private static final String TRACKED_BEFORE_CLASS = "trackedBeforeClass";
    private static final String TRACKED_BEFORE_TEST = "trackedBeforeTest";

    /** Used by Jupiter's service loader. */
    public LeakCheck() {}

    @Override
    public void beforeAll(ExtensionContext context) {
        LeakDetection.install();
        LeakDetection.enter(context.getRequiredTestClass().getSimpleName());
        context.getStore(NAMESPACE).put(TRACKED_BEFORE_CLASS, LeakDetection.trackedCount());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        LeakDetection.enter(testName(context));
        // A property's tries share one count, kept by the property: the first try puts it there.
        scope(context).getStore(NAMESPACE).computeIfAbsent(TRACKED_BEFORE_TEST, key -> LeakDetection.trackedCount());
    }

    @Override
    public void beforeTestExecution(ExtensionContext context) {
        // Only now is the property's try known (its extension runs after this one's beforeEach).
        PropertyTry propertyTry = PropertyTry.of(context);
        if (propertyTry != null) {
            LeakDetection.enter(propertyTry.label() + ". Rerun this try alone: " + propertyTry.rerunCommand());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        PropertyTry propertyTry = PropertyTry.of(context);
        boolean moreTriesFollow = propertyTry != null && propertyTry.number() < propertyTry.tries()
                && context.getExecutionException().isEmpty();
        if (moreTriesFollow) {
            fail(testName(context), LeakDetection.collect(false));
        } else {
            finish(scope(context), TRACKED_BEFORE_TEST, testName(context));
        }
        LeakDetection.enter(context.getRequiredTestClass().getSimpleName() + " (after its tests)");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        finish(context, TRACKED_BEFORE_CLASS, context.getRequiredTestClass().getSimpleName());
        LeakDetection.enter("no test");
    }

    /** The context that counts allocations: a property's, for its tries, else the test's or class's own. */
    private static ExtensionContext scope(ExtensionContext context) {
        return context.getParent()
                .filter(parent -> AnnotationSupport.isAnnotated(parent.getTestMethod(), Property.class))
                .orElse(context);
    }

    private static void finish(ExtensionContext scope, String key, String name) {
        Long before = scope.getStore(NAMESPACE).remove(key, Long.class);
        // Only a test that allocated a tracked buffer can have leaked one; the others skip the collection.
        boolean allocated = before == null || LeakDetection.trackedCount() != before;
        fail(name, LeakDetection.collect(allocated));
    }

    private static void fail(String name, List<LeakDetection.Leak> leaks) {
        if (leaks.isEmpty()) {
            return;
        }
        String newline = System.lineSeparator();
        // A buffer can be collected, and so reported, after the test that dropped it: name the allocating test.
        StringBuilder message = new StringBuilder("Leak check after ").append(name).append(": ")
                .append(leaks.size()).append(leaks.size() == 1 ? " ByteBuf was" : " ByteBufs were")
                .append(" garbage-collected without release(); release every buffer the test owns.");
        leaks.stream().map(LeakDetection.Leak::allocatedDuring).distinct()
                .forEach(test -> message.append(newline).append("Allocated during ").append(test));
        for (LeakDetection.Leak leak : leaks) {
            message.append(newline).append("LEAK:").append(leak.record());
        }
        throw new AssertionError(message.toString());
    }

    /** Class#method, plus the display name when it says more (a property's try and seed, a parameter set). */
    private static String testName(ExtensionContext context) {
        String method = context.getRequiredTestMethod().getName();
        String name = context.getRequiredTestClass().getSimpleName() + "#" + method;
        String displayName = context.getDisplayName();
        return displayName.startsWith(method + "(") ? name : name + " [" + displayName + "]";
    }
}
