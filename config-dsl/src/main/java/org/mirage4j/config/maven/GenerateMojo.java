package org.mirage4j.config.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;
import org.mirage4j.config.ConfigException;
import org.mirage4j.config.Impl;
import org.mirage4j.config.Target;
import org.mirage4j.config.Unikernel;
import org.mirage4j.config.generator.ConfigLoader;
import org.mirage4j.config.generator.UnikernelGenerator;

/**
 * Evaluates {@code Config.java} for the build's target and generates the unikernel's wiring
 * ({@code mirage.Main}, a Dagger component, modules for keys and embedded files) into
 * {@code target/generated-sources/mirage}.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES,
        requiresDependencyResolution = ResolutionScope.COMPILE, threadSafe = true)
public final class GenerateMojo extends AbstractMojo {

    /** The target to build for; the app parent POM's profiles set it ({@code -Ptarget=unix}, {@code -Ptarget=kvm}). */
    @Parameter(property = "mirage.target", defaultValue = "unix")
    private String target;

    /** The configuration class; by default the one class named {@code Config}. */
    @Parameter(property = "mirage.config")
    private String config;

    @Parameter(defaultValue = "${project.build.directory}/generated-sources/mirage", readonly = true)
    private File sourcesDirectory;

    @Parameter(defaultValue = "${project.build.directory}/generated-resources/mirage", readonly = true)
    private File resourcesDirectory;

    @Parameter(defaultValue = "${project.build.directory}/mirage", readonly = true)
    private File workDirectory;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if ("pom".equals(project.getPackaging())) {
            getLog().debug("[mirage] " + project.getArtifactId() + " is a POM, not an application: nothing to generate");
            return;
        }
        List<Path> sourceRoots = project.getCompileSourceRoots().stream()
                .map(Path::of)
                .filter(p -> !p.equals(sourcesDirectory.toPath()))
                .toList();
        List<Path> classpath;
        try {
            classpath = project.getCompileClasspathElements().stream()
                    .map(Path::of)
                    .filter(p -> !p.toString().equals(project.getBuild().getOutputDirectory()))
                    .toList();
        } catch (org.apache.maven.artifact.DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("The application's dependencies could not be resolved.", e);
        }
        try (ConfigLoader loader = new ConfigLoader(sourceRoots, classpath, workDirectory.toPath())) {
            Target buildTarget = Target.parse(target);
            Map.Entry<String, Path> configSource = loader.findConfig(config);
            Unikernel unikernel = loader.evaluate(configSource.getKey(), configSource.getValue(), buildTarget, configureKeys());

            Path sources = sourcesDirectory.toPath();
            Path resources = resourcesDirectory.toPath();
            ConfigLoader.deleteTree(sources);
            ConfigLoader.deleteTree(resources);
            new UnikernelGenerator(unikernel, configSource.getKey(), project.getBasedir().toPath()).write(sources, resources);

            project.addCompileSourceRoot(sources.toString());
            if (java.nio.file.Files.isDirectory(resources)) { // only when something is embedded
                Resource resource = new Resource();
                resource.setDirectory(resources.toString());
                project.addResource(resource);
            }
            project.getProperties().setProperty("mirage.unikernel", unikernel.name());
            getLog().info("[mirage] unikernel " + unikernel.name() + " for target " + buildTarget.id() + ": "
                    + unikernel.devicesInConnectOrder().stream()
                            .map(d -> d.name() + "=" + implName(d))
                            .collect(Collectors.joining(", "))
                    + "; main class " + UnikernelGenerator.MAIN_CLASS);
        } catch (ConfigException e) {
            throw new MojoFailureException(e.getMessage());
        } catch (IOException e) {
            throw new MojoExecutionException("Generating the unikernel failed: " + e.getMessage(), e);
        }
    }

    private static String implName(Impl<?> device) {
        return device.crunch().map(dir -> "crunch(" + dir + ")").orElse(device.implementationSimpleName());
    }

    /** {@code -Dmirage.NAME=VALUE} from the command line and the POM, by NAME, except the plugin's own parameters. */
    private Map<String, String> configureKeys() {
        Map<String, String> keys = new HashMap<>();
        collect(project.getProperties(), keys);
        collect(session.getSystemProperties(), keys);
        collect(session.getUserProperties(), keys);
        keys.remove("target");
        keys.remove("config");
        keys.remove("unikernel");
        return keys;
    }

    private static void collect(Properties properties, Map<String, String> into) {
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith("mirage.")) into.put(name.substring("mirage.".length()), properties.getProperty(name));
        }
    }
}
