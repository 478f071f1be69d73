package org.mirage4j.testing;

import java.lang.reflect.Method;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * Runs a {@link Property} method once per try, handing each try a {@link Gen} with the try's seed.
 *
 * <p>The tries are produced lazily, one after the other finishes, so that the first failure stops the rest.
 */
final class PropertyExtension implements TestTemplateInvocationContextProvider {

    /** The system property (or JUnit configuration parameter) that fixes the seed of a one-try rerun. */
    static final String SEED_PROPERTY = "mirage.seed";

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().filter(m -> AnnotationSupport.isAnnotated(m, Property.class)).isPresent();
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        Method method = context.getRequiredTestMethod();
        int tries = AnnotationSupport.findAnnotation(method, Property.class).orElseThrow().tries();
        if (tries < 1) {
            throw new IllegalArgumentException("@Property(tries = " + tries + ") on " + method.getName()
                    + " runs nothing: give tries a value of at least 1.");
        }
        var fixedSeed = context.getConfigurationParameter(SEED_PROPERTY);
        if (fixedSeed.isPresent()) {
            long seed = PropertyTry.parseSeed(fixedSeed.get());
            return Stream.of(new TryContext(new PropertyTry(testClass, method, 1, 1, seed), new AtomicBoolean()));
        }
        // Each try's seed is the next value of a stream seeded by one random base seed, so tries differ from each
        // other and from run to run, while each try alone is reproducible from its own seed.
        SplittableRandom seeds = new SplittableRandom(ThreadLocalRandom.current().nextLong());
        AtomicBoolean failed = new AtomicBoolean();
        return IntStream.rangeClosed(1, tries)
                .mapToObj(n -> new PropertyTry(testClass, method, n, tries, seeds.nextLong()))
                .takeWhile(propertyTry -> !failed.get())
                .map(propertyTry -> new TryContext(propertyTry, failed));
    }

    /** One try: its name in reports, and the extensions that give it its {@link Gen} and name its failure. */
    private record TryContext(PropertyTry propertyTry, AtomicBoolean failed)
            implements TestTemplateInvocationContext {

        @Override
        public String getDisplayName(int invocationIndex) {
            return propertyTry.displayName();
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new TryExtension(propertyTry, failed));
        }
    }

    private record TryExtension(PropertyTry propertyTry, AtomicBoolean failed)
            implements ParameterResolver, BeforeEachCallback, TestExecutionExceptionHandler, TestWatcher {

        @Override
        public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
            return parameterContext.getParameter().getType() == Gen.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
            return new Gen(propertyTry.seed());
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            // LeakCheck reads it to say which try leaked.
            PropertyTry.store(context, propertyTry);
        }

        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
            if (throwable instanceof TestAbortedException) {
                throw throwable;
            }
            throw new PropertyFailedError(propertyTry, throwable);
        }

        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            failed.set(true);
        }
    }
}
