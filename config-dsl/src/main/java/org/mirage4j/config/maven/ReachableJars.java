package org.mirage4j.config.maven;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;

/**
 * The jars an application really uses: those its jar reaches through class references, directly
 * or through each other, as jdeps sees them.
 *
 * <p>This is sound here because the generated wiring uses no reflection, class-path scanning or
 * service loading: every implementation the configuration chose is named in the generated code.
 * A target's profile brings in all of that target's implementation modules (and their
 * dependencies); an image needs only the ones this application's configuration chose.
 */
final class ReachableJars {

    private ReachableJars() {}

    /**
     * The jars of {@code classpath} reachable from {@code root}, {@code root} first, in class-path order.
     *
     * @throws IllegalStateException when jdeps is missing or fails
     */
    static List<Path> from(Path root, List<Path> classpath) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new IllegalStateException("The build's JDK has no jdeps; set JAVA_HOME to a full JDK 25."));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String cp = classpath.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(err),
                "--multi-release", String.valueOf(Runtime.version().feature()),
                "-R", "-summary", "--class-path", cp, root.toString());
        if (status != 0) throw new IllegalStateException("jdeps failed on " + root + ": " + err.toString().strip());
        return select(root, classpath, out.toString());
    }

    /** Reads jdeps' summary ({@code a.jar -> /path/to/b.jar} lines) and keeps the class-path jars it names. */
    static List<Path> select(Path root, List<Path> classpath, String summary) {
        Map<String, Path> byName = new HashMap<>();
        for (Path jar : classpath) byName.putIfAbsent(jar.getFileName().toString(), jar);
        Set<String> reached = new LinkedHashSet<>();
        for (String line : summary.split("\n")) {
            String[] parts = line.split("->");
            if (parts.length != 2) continue;
            String to = parts[1].strip(); // a module name, "not found", or the jar's path
            if (to.endsWith(".jar")) reached.add(Path.of(to).getFileName().toString());
        }
        List<Path> jars = new ArrayList<>();
        jars.add(root);
        for (Path jar : classpath) {
            if (!jar.equals(root) && reached.contains(jar.getFileName().toString())) jars.add(jar);
        }
        return jars;
    }
}
