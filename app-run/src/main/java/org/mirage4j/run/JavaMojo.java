package org.mirage4j.run;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Builds the application up to {@code process-classes} (so the code generated from
 * {@code Config.java} and the last edit of {@code Dispatch.java} are what runs), then runs
 * {@code mirage.Main} in a JVM of its own with the arguments of {@code -Dexec.args}, and waits.
 *
 * <p>A JVM of its own, not Maven's: the unikernel's logging, its native access (the tap device),
 * Ctrl-C and its exit status behave as they do when it runs anywhere else. A non-zero exit status
 * fails the build with that status in the message.
 */
@Mojo(name = "java", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.PROCESS_CLASSES)
public final class JavaMojo extends AbstractMojo {

    /** The generated main class; the same on every target. */
    @Parameter(property = "exec.mainClass", defaultValue = "mirage.Main")
    private String mainClass;

    /** The unikernel's runtime keys, as on its command line: {@code -Dexec.args="--port=8081 -l debug"}. */
    @Parameter(property = "exec.args", defaultValue = "")
    private String args;

    /** Options for the JVM, such as a heap size. */
    @Parameter(property = "mirage.jvmArgs", defaultValue = "")
    private String jvmArgs;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        List<String> command = command();
        getLog().debug("[mirage] " + String.join(" ", command));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(project.getBasedir()).inheritIO().start();
        } catch (IOException e) {
            throw new MojoExecutionException("Could not start " + command.getFirst() + ": " + e.getMessage(), e);
        }
        // Ctrl-C reaches the unikernel too (same process group); give it time to disconnect its devices.
        Thread waitForChild = new Thread(() -> {
            try {
                if (process.isAlive()) process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(waitForChild);
        int status;
        try {
            status = process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("Interrupted while the unikernel ran.", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(waitForChild);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running
            }
        }
        if (status != 0) {
            throw new MojoFailureException("The unikernel exited with status " + status + ".");
        }
    }

    List<String> command() throws MojoExecutionException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The tap device and the kvm boot code call native functions through the FFM API.
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(Arguments.split(jvmArgs));
        command.add("-cp");
        command.add(classpath());
        command.add(mainClass);
        command.addAll(Arguments.split(args));
        return command;
    }

    private String classpath() throws MojoExecutionException {
        try {
            return String.join(File.pathSeparator, project.getRuntimeClasspathElements());
        } catch (DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("The application's dependencies could not be resolved.", e);
        }
    }
}
