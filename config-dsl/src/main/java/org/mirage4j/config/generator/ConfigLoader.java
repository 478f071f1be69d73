package org.mirage4j.config.generator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.mirage4j.config.ConfigException;
import org.mirage4j.config.Impl;
import org.mirage4j.config.Mirage;
import org.mirage4j.config.MirageConfig;
import org.mirage4j.config.Target;
import org.mirage4j.config.Unikernel;

/**
 * Evaluates an application's {@code Config.java} at build time, before the application itself is
 * compiled: compiles it (and the classes it names, such as the job) on its own, loads it, runs
 * {@code configure} for the target, and checks the result against the job and the class path.
 *
 * <p>This is the part of the Maven plugin that knows nothing of Maven, so that tests run it as
 * the build does.
 */
public final class ConfigLoader implements AutoCloseable {

    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    private final List<Path> sourceRoots;
    private final List<Path> classpath;
    private final Path workDirectory;
    private URLClassLoader loader;

    /**
     * @param sourceRoots the application's source directories
     * @param classpath the application's compile class path (jars and directories)
     * @param workDirectory where to put the compiled configuration
     */
    public ConfigLoader(List<Path> sourceRoots, List<Path> classpath, Path workDirectory) {
        this.sourceRoots = List.copyOf(sourceRoots);
        this.classpath = List.copyOf(classpath);
        this.workDirectory = workDirectory;
    }

    /**
     * The configuration class: {@code configClass} when given, otherwise the one file named
     * {@code Config.java} under the source roots.
     *
     * @return the class's binary name and its source file
     */
    public Map.Entry<String, Path> findConfig(String configClass) throws IOException {
        if (configClass != null && !configClass.isBlank()) {
            String relative = configClass.replace('.', '/') + ".java";
            for (Path root : sourceRoots) {
                if (Files.isRegularFile(root.resolve(relative))) return Map.entry(configClass, root.resolve(relative));
            }
            throw new ConfigException("-Dmirage.config=" + configClass + " names no source file " + relative
                    + " under " + sourceRoots + "; give the binary name of the class that implements MirageConfig.");
        }
        List<Path> found = new ArrayList<>();
        for (Path root : sourceRoots) {
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.getFileName().toString().equals("Config.java")).forEach(found::add);
            }
        }
        if (found.size() != 1) {
            throw new ConfigException((found.isEmpty() ? "No Config.java" : found.size() + " files named Config.java " + found)
                    + " under " + sourceRoots + "; an application has one class Config that implements "
                    + "org.mirage4j.config.MirageConfig (or name it with -Dmirage.config=CLASS).");
        }
        Path source = found.getFirst();
        Matcher m = PACKAGE.matcher(Files.readString(source, StandardCharsets.UTF_8));
        String name = (m.find() ? m.group(1) + "." : "") + "Config";
        return Map.entry(name, source);
    }

    /**
     * Compiles {@code source} and what it refers to, then runs its {@code configure} for
     * {@code target}, and checks the result.
     *
     * @param configureKeys the build's {@code -Dmirage.NAME=VALUE} keys, by NAME
     * @throws ConfigException with one sentence when the configuration cannot be built
     */
    public Unikernel evaluate(String className, Path source, Target target, Map<String, String> configureKeys) throws IOException {
        Path classes = workDirectory.resolve("config-classes");
        deleteTree(classes);
        Files.createDirectories(classes);
        compile(source, classes);
        loader = new URLClassLoader(urls(classes), MirageConfig.class.getClassLoader());
        Class<?> configType;
        try {
            configType = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new ConfigException(source + " does not declare class " + className + "; name the class after its file.");
        }
        if (!MirageConfig.class.isAssignableFrom(configType)) {
            throw new ConfigException(className + " does not implement org.mirage4j.config.MirageConfig; declare it as "
                    + "'public final class Config implements MirageConfig'.");
        }
        MirageConfig config;
        try {
            config = (MirageConfig) configType.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new ConfigException(className + " cannot be created (" + e + "); give it a public constructor without parameters.");
        }
        Unikernel unikernel = config.configure(new Mirage(target, configureKeys));
        if (unikernel == null) {
            throw new ConfigException(className + ".configure returned null; return m.register(\"name\", m.main(Job.class, devices...)).");
        }
        ConfigCheck.check(unikernel);
        checkOnClassPath(unikernel);
        return unikernel;
    }

    /** Every chosen implementation's Dagger module must be on the class path the application compiles against. */
    private void checkOnClassPath(Unikernel unikernel) {
        for (Impl<?> device : unikernel.devicesInConnectOrder()) {
            if (device.crunch().isPresent()) continue; // generated
            for (String module : device.daggerModules()) {
                if (inSources(module)) continue; // the application's own
                try {
                    Class.forName(module, false, loader);
                } catch (ClassNotFoundException e) {
                    throw new ConfigException("Config.java chose " + device.implementation() + " for device " + device.name() + " ("
                            + device.api().getSimpleName() + ") on target " + unikernel.target().id() + ", but its Dagger module "
                            + module + " is not on the application's class path; depend on " + device.artifact()
                            + " at a version that has it (the app parent POM's target=" + unikernel.target().id()
                            + " profile brings in the project's own), or choose another implementation.");
                }
            }
        }
        String runtime = "org.mirage4j.runtime.MirageRuntime";
        try {
            Class.forName(runtime, false, loader);
        } catch (ClassNotFoundException e) {
            throw new ConfigException("org.mirage4j:runtime is not on the application's class path; inherit the app parent POM "
                    + "(org.mirage4j:mirage-app-parent) or depend on org.mirage4j:runtime.");
        }
    }

    /** Whether the application's own sources declare the top-level class {@code binaryName}. */
    private boolean inSources(String binaryName) {
        String relative = binaryName.replace('.', '/') + ".java";
        return sourceRoots.stream().anyMatch(root -> Files.isRegularFile(root.resolve(relative)));
    }

    private void compile(Path source, Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new ConfigException("The build runs on a Java runtime without a compiler; set JAVA_HOME to a JDK 25.");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of(
                    "-d", classes.toString(),
                    "-classpath", classpath.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)),
                    "-sourcepath", sourceRoots.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)),
                    "-proc:none", "-parameters", "-implicit:class", "-nowarn", "-Xlint:none");
            StringWriter out = new StringWriter();
            boolean ok = javac.getTask(out, files, diagnostics, options, null, files.getJavaFileObjects(source)).call();
            if (!ok) {
                String errors = diagnostics.getDiagnostics().stream()
                        .filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR)
                        .map(d -> (d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ")
                                + d.getMessage(java.util.Locale.ROOT))
                        .collect(Collectors.joining("\n"));
                throw new ConfigException(source.getFileName() + " or a class it uses does not compile; fix these errors:\n" + errors);
            }
        }
    }

    private URL[] urls(Path classes) {
        List<URL> urls = new ArrayList<>();
        try {
            urls.add(classes.toUri().toURL());
            for (Path p : classpath) urls.add(p.toUri().toURL());
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
        return urls.toArray(URL[]::new);
    }

    /** Deletes {@code root} and everything under it, if it exists. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Override
    public void close() throws IOException {
        if (loader != null) loader.close();
    }
}
