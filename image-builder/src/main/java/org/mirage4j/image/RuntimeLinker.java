package org.mirage4j.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SequencedSet;
import java.util.TreeSet;
import java.util.LinkedHashSet;

/**
 * Makes the image's Java runtime: {@code jdeps} finds the JDK modules the application's jars use,
 * and {@code jlink} links exactly those into a runtime without debug information, headers or man
 * pages; the runtime can then dump a CDS archive of the JDK's classes (it shortens JVM start-up a
 * lot under TCG) when no AOT cache replaces it.
 */
final class RuntimeLinker {

    private final JdkTools tools;

    RuntimeLinker(JdkTools tools) {
        this.tools = tools;
    }

    /**
     * The JDK modules {@code jars} need, sorted, plus {@code extra}; {@code java.base} at least.
     */
    List<String> modulesFor(List<Path> jars, List<String> extra) throws IOException {
        SequencedSet<String> modules = new TreeSet<>();
        modules.add("java.base");
        if (!jars.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("--print-module-deps", "--ignore-missing-deps", "-q",
                    "--multi-release", String.valueOf(Runtime.version().feature()),
                    "--class-path", String.join(java.io.File.pathSeparator, jars.stream().map(Path::toString).toList())));
            roots(jars).forEach(j -> args.add(j.toString()));
            String printed = tools.run("jdeps", args).strip();
            String lastLine = printed.lines().reduce((a, b) -> b).orElse("");
            for (String m : lastLine.split(",")) {
                if (!m.isBlank()) modules.add(m.strip());
            }
        }
        modules.addAll(extra);
        return List.copyOf(modules);
    }

    /**
     * The jars jdeps starts from: the plain ones (the application's and ours). A modular library jar
     * is reached from them on the class path instead, because as a root jdeps insists on every module
     * its descriptor requires (netty-codec-http requires io.netty.handler, which an image whose code
     * never reaches it leaves out), while {@code --print-module-deps} follows class references only.
     * All jars when every one is modular.
     */
    static List<Path> roots(List<Path> jars) throws IOException {
        List<Path> plain = new ArrayList<>();
        for (Path jar : jars) {
            if (!modular(jar)) plain.add(jar);
        }
        return plain.isEmpty() ? jars : plain;
    }

    private static boolean modular(Path jar) throws IOException {
        if (!Files.isRegularFile(jar)) return false;
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
            return file.stream().anyMatch(e -> e.getName().equals("module-info.class")
                    || (e.getName().startsWith("META-INF/versions/") && e.getName().endsWith("/module-info.class")));
        }
    }

    /** Links a runtime of {@code modules} into {@code output}, which must not exist yet. */
    void link(List<String> modules, Path output) throws IOException {
        List<String> args = new ArrayList<>(List.of("--add-modules", String.join(",", new LinkedHashSet<>(modules)),
                "--strip-debug", "--no-header-files", "--no-man-pages", "--output", output.toString()));
        tools.run("jlink", args);
    }

    /**
     * Has the runtime in {@code jre} dump the default CDS archive of the JDK's classes
     * ({@code lib/server/classes.jsa}), which {@code -Xshare:auto} maps at start-up.
     *
     * @return whether the archive was made
     */
    boolean dumpCds(Path jre) throws IOException {
        // Dumped by the runtime itself rather than by jlink's --generate-cds-archive, which prints
        // the dump's warnings on the build's console: here they are captured.
        Commands.run(jre, "check the Java runtime linked in " + jre + ".",
                jre.resolve("bin/java").toString(), "-Xshare:dump", "-XX:+UseSerialGC");
        return Files.isRegularFile(jre.resolve("lib/server/classes.jsa"));
    }
}
