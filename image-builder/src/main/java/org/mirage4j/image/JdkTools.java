package org.mirage4j.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;

/**
 * Runs the JDK's command line tools ({@code jdeps}, {@code jlink}) of one JDK: in process through
 * {@link ToolProvider} when it is the JDK this JVM runs on, else as programs from its {@code bin}.
 */
final class JdkTools {

    private final Path javaHome;
    private final boolean inProcess;

    private JdkTools(Path javaHome, boolean inProcess) {
        this.javaHome = javaHome;
        this.inProcess = inProcess;
    }

    /**
     * The tools of the JDK at {@code javaHome}.
     *
     * @throws ImageException when it is not a JDK with jlink
     */
    static JdkTools of(Path javaHome) throws IOException {
        if (!Files.isExecutable(javaHome.resolve("bin/jlink"))) {
            throw new ImageException("JAVA_HOME " + javaHome + " has no bin/jlink: point it at a JDK 25 (a JRE cannot build a runtime).");
        }
        Path running = Path.of(System.getProperty("java.home"));
        return new JdkTools(javaHome, Files.isSameFile(running, javaHome));
    }

    /**
     * Runs {@code tool} with {@code args} and returns what it printed.
     *
     * @throws ImageException when it exits non-zero, with its output
     */
    String run(String tool, List<String> args) throws IOException {
        if (!inProcess) {
            List<String> command = new ArrayList<>();
            command.add(javaHome.resolve("bin").resolve(tool).toString());
            command.addAll(args);
            return Commands.run(Path.of("."), "check the JDK at " + javaHome + ".", command.toArray(String[]::new));
        }
        ToolProvider provider = ToolProvider.findFirst(tool)
                .orElseThrow(() -> new ImageException("This JDK has no " + tool + " tool; run the build with a full JDK 25."));
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = provider.run(out, out, args.toArray(String[]::new));
        }
        String printed = output.toString(StandardCharsets.UTF_8);
        if (status != 0) {
            throw new ImageException(tool + " " + String.join(" ", args) + " failed (exit status " + status + "): " + printed.strip());
        }
        return printed;
    }
}
