package org.mirage4j.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a JDK 25 AOT cache ({@code -XX:AOTCacheOutput}, JEP 483 and 514) for the image by a
 * training run of its main class on the build machine, with the image's runtime, in a directory
 * laid out as the image's root.
 *
 * <p>The JVM accepts the cache only when the class path matches the training run's, jar sizes and
 * times included: the class path is relative ({@code app/x.jar}), so it names the same jars in the
 * staging directory here and in the VM, where init's working directory is {@code /}. The training
 * run sets {@code mirage.boot.aot-training}, on which {@code org.mirage4j.boot.Boot.init} does the
 * harmless part of the boot path and ends the run (so a server's main also ends).
 */
final class AotCache {

    /** The cache's path relative to the image's root. */
    static final String PATH = "app/app.aot";

    private AotCache() {}

    /**
     * Runs the training and returns the cache file, under {@code root}.
     *
     * @param root a directory holding the runtime in {@code jre/} and the jars at the class path's places
     * @param jvmOptions the options the image's JVM runs with, minus the cache's
     * @throws ImageException when the training run fails (its output is in the message)
     */
    static Path train(Path root, List<String> jvmOptions, String classpath, String mainClass, List<String> arguments)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(root.resolve("jre/bin/java").toString(), "-XX:AOTCacheOutput=" + PATH));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dmirage.boot.aot-training=true", "-cp", classpath, mainClass));
        command.addAll(arguments);
        Commands.run(root, "make sure the main class calls org.mirage4j.boot.Boot.init first, or build without the AOT cache.",
                command.toArray(String[]::new));
        Path cache = root.resolve(PATH);
        if (!Files.isRegularFile(cache)) {
            throw new ImageException("The AOT training run of " + mainClass + " wrote no cache; make sure its main calls "
                    + "org.mirage4j.boot.Boot.init first, or build without the AOT cache.");
        }
        return cache;
    }
}
