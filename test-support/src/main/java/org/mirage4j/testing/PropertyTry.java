package org.mirage4j.testing;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One try of a {@link Property}: its number, its seed, and the command that reruns it alone.
 *
 * @param testClass the class declaring the property
 * @param method the property method
 * @param number the try's number, from 1
 * @param tries how many tries the property runs
 * @param seed the seed of the try's {@link Gen}
 */
record PropertyTry(Class<?> testClass, Method method, int number, int tries, long seed) {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PropertyTry.class);

    /** Remembers the try that {@code context} runs, for {@link #of(ExtensionContext)}. */
    static void store(ExtensionContext context, PropertyTry propertyTry) {
        context.getStore(NAMESPACE).put(PropertyTry.class, propertyTry);
    }

    /** The try that {@code context} runs, or null when it runs no property try. */
    static PropertyTry of(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(PropertyTry.class, PropertyTry.class);
    }

    /** The seed as written in reports and accepted by {@code -Dmirage.seed}: 0x and 16 hex digits. */
    static String formatSeed(long seed) {
        return "0x" + HexFormat.of().toHexDigits(seed);
    }

    /** Reads a seed written as 0x and hex digits (as reports write it) or as a decimal long. */
    static long parseSeed(String text) {
        String trimmed = text.strip();
        try {
            if (trimmed.toLowerCase(Locale.ROOT).startsWith("0x")) {
                return Long.parseUnsignedLong(trimmed.substring(2), 16);
            }
            return Long.parseLong(trimmed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PropertyExtension.SEED_PROPERTY + "=" + text
                    + " is not a seed: copy it from the failure report, for example 0x1f2e3d4c5b6a7988.", e);
        }
    }

    String displayName() {
        return "try " + number + " of " + tries + ", seed " + formatSeed(seed);
    }

    /** Class#method [try 7 of 200, seed 0x...]. */
    String label() {
        return testClass.getSimpleName() + "#" + method.getName() + " [" + displayName() + "]";
    }

    /** Says which try failed, with its seed, and the one line that reruns exactly that try. */
    String describe() {
        return "Property " + testClass.getSimpleName() + "#" + method.getName() + " failed on " + displayName()
                + ". Rerun this try alone: " + rerunCommand();
    }

    /**
     * {@code ./mvnw -pl <module> test -Dtest=<Class>#<method> -Dmirage.seed=0x...}, to run from the directory of
     * the Maven wrapper above the module; surefire passes {@code -D} properties on to the test JVM.
     */
    String rerunCommand() {
        String className = testClass.getName().substring(testClass.getPackageName().length() + 1);
        String test = className + "#" + method.getName();
        if (test.contains("$")) {
            test = "'" + test + "'";
        }
        String goals = "test -Dtest=" + test + " -D" + PropertyExtension.SEED_PROPERTY + "=" + formatSeed(seed);
        // Surefire sets basedir to the module's directory (and runs the tests there).
        String basedir = System.getProperty("basedir", System.getProperty("user.dir"));
        return mavenCommand(Path.of(basedir), goals);
    }

    /** Runs {@code goals} in {@code module} with the nearest Maven wrapper above it, or with mvn if there is none. */
    static String mavenCommand(Path module, String goals) {
        Path absolute = module.toAbsolutePath().normalize();
        for (Path dir = absolute; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                String relative = dir.relativize(absolute).toString();
                return "./mvnw " + (relative.isEmpty() ? "" : "-pl " + relative + " ") + goals;
            }
        }
        return "mvn " + goals + " (in " + absolute + ")";
    }
}
