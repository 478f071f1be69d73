package org.mirage4j.image;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel command line that makes the JVM the VM's init:
 *
 * <pre>
 * console=ttyS0 quiet panic=-1 cryptomgr.notests [kernel parameters] rdinit=/jre/bin/java LD_LIBRARY_PATH=/jre/lib:/lib --
 *     [JVM options] -cp app/a.jar:app/b.jar MAIN [arguments]
 * </pre>
 *
 * {@code quiet} still shows warnings and panics; {@code panic=-1} reboots at once on a panic, which
 * QEMU's {@code -no-reboot} turns into an exit; {@code cryptomgr.notests} skips the self-tests of
 * kernel crypto we do not use (half a second of boot under TCG). {@code LD_LIBRARY_PATH} goes to init's environment
 * (the kernel hands unknown {@code k=v} words to it): the java launcher finds {@code libjli.so}
 * through {@code $ORIGIN}, which needs the {@code /proc} that is not mounted yet, and the C library
 * is in {@code /lib}, without a loader cache. The words after
 * {@code --} become the JVM's arguments. Pure: no I/O.
 */
final class KernelCommandLine {

    /** x86's COMMAND_LINE_SIZE, terminating NUL included. */
    static final int MAX_LENGTH = 2047;
    /** The kernel passes at most 32 words to init, argv[0] included (CONFIG_INIT_ENV_ARG_LIMIT). */
    static final int MAX_INIT_WORDS = 31;
    /** Init words left for runtime keys that {@code run.sh} appends. */
    static final int WORDS_KEPT_FOR_KEYS = 8;

    static final String JAVA = "/jre/bin/java";

    private KernelCommandLine() {}

    /**
     * The command line.
     *
     * @param kernelParameters extra kernel parameters (before {@code --}), such as {@code mitigations=off}
     * @param jvmOptions the JVM's options
     * @param classpath the class path, or empty for none
     * @param mainClass the main class
     * @param arguments the main class's default arguments
     * @throws ImageException when it would be too long for the kernel, or a word cannot be passed
     */
    static String of(List<String> kernelParameters, List<String> jvmOptions, String classpath, String mainClass,
            List<String> arguments) throws ImageException {
        List<String> kernel = new ArrayList<>(List.of("console=ttyS0", "quiet", "panic=-1", "cryptomgr.notests"));
        kernel.addAll(kernelParameters);
        kernel.addAll(List.of("rdinit=" + JAVA, "LD_LIBRARY_PATH=/jre/lib:/" + SharedLibraries.IMAGE_DIR));

        List<String> init = new ArrayList<>(jvmOptions);
        if (!classpath.isEmpty()) {
            init.add("-cp");
            init.add(classpath);
        }
        init.add(mainClass);
        init.addAll(arguments);
        if (init.size() > MAX_INIT_WORDS - WORDS_KEPT_FOR_KEYS) {
            throw new ImageException("The JVM options, main class and arguments make " + init.size()
                    + " words, but the kernel passes at most " + MAX_INIT_WORDS + " to init and " + WORDS_KEPT_FOR_KEYS
                    + " are kept for runtime keys: pass fewer JVM options or default arguments.");
        }

        StringBuilder line = new StringBuilder();
        for (String word : kernel) append(line, word);
        append(line, "--");
        for (String word : init) append(line, word);
        if (line.length() > MAX_LENGTH) {
            throw new ImageException("The kernel command line is " + line.length() + " characters, more than the kernel's "
                    + MAX_LENGTH + ": pass fewer or shorter JVM options, or fewer jars.");
        }
        return line.toString();
    }

    /** Appends {@code word}, in double quotes when it has spaces (the kernel removes them). */
    private static void append(StringBuilder line, String word) throws ImageException {
        if (word.isEmpty() || word.indexOf('"') >= 0 || word.chars().anyMatch(c -> c == '\n' || c == '\r' || c == '\t')) {
            throw new ImageException("The word '" + word + "' cannot be passed on a kernel command line (it is empty or has a"
                    + " double quote or a line break): change it.");
        }
        if (!line.isEmpty()) line.append(' ');
        if (word.indexOf(' ') >= 0) line.append('"').append(word).append('"');
        else line.append(word);
    }
}
