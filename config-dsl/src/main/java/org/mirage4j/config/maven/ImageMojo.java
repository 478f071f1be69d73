package org.mirage4j.config.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;
import org.mirage4j.config.generator.UnikernelGenerator;
import org.mirage4j.image.Image;
import org.mirage4j.image.ImageBuilder;
import org.mirage4j.image.ImageException;
import org.mirage4j.image.Kernel;

/**
 * Builds the kvm target's image in {@code package}: a kernel, an initramfs holding a runtime cut
 * down by jlink, the application's jars for this target and the boot code, the kernel command
 * line, and {@code target/run.sh}, which boots it under QEMU. Prints the image's size part by part.
 * Does nothing for other targets.
 */
@Mojo(name = "image", defaultPhase = LifecyclePhase.PACKAGE, requiresDependencyResolution = ResolutionScope.RUNTIME,
        threadSafe = true)
public final class ImageMojo extends AbstractMojo {

    @Parameter(property = "mirage.target", defaultValue = "unix")
    private String target;

    /**
     * A kernel installed into a directory ({@code boot/vmlinuz-VERSION} and
     * {@code lib/modules/VERSION}); by default Debian's cloud kernel, fetched once and cached.
     */
    @Parameter(property = "mirage.kernel")
    private File kernel;

    /** The VM's memory in MB, the default of {@code run.sh --mem}. */
    @Parameter(property = "mirage.memory", defaultValue = "512")
    private int memoryMb;

    /**
     * JVM options added after the image's defaults ({@code -Xmx64m -XX:+UseSerialGC ...}; a later
     * option wins), such as {@code -Dmirage.jvmOptions="-Xmx256m -XX:+UseG1GC"}.
     */
    @Parameter(property = "mirage.jvmOptions", defaultValue = "")
    private String jvmOptions;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (!"kvm".equals(target) || "pom".equals(project.getPackaging())) {
            getLog().debug("[mirage] not a kvm build: no image");
            return;
        }
        Path output = Path.of(project.getBuild().getDirectory());
        try {
            ImageBuilder builder = ImageBuilder.forMainClass(UnikernelGenerator.MAIN_CLASS)
                    .classpath(jars())
                    .memoryMb(memoryMb)
                    .jvmOptions(jvmOptions == null || jvmOptions.isBlank() ? List.of() : List.of(jvmOptions.strip().split("\\s+")))
                    .outputDirectory(output);
            if (kernel != null) builder.kernel(Kernel.fromTree(kernel.toPath()));
            Image image = builder.build();
            getLog().info("[mirage] image of " + project.getArtifactId() + " in " + output + ": run it with "
                    + project.getBasedir().toPath().relativize(image.runScript()) + " [--tap IFNAME] [-- --key=value ...]");
            for (String line : image.sizes().toString().split("\n")) getLog().info("[mirage]   " + line);
        } catch (ImageException e) {
            throw new MojoFailureException(e.getMessage());
        } catch (IOException e) {
            throw new MojoExecutionException("Building the image failed: " + e.getMessage(), e);
        }
    }

    /**
     * The application's jar, then the runtime jars it reaches: the implementations its
     * configuration chose for this target and what they use, not every jar the profile brings in.
     */
    private List<Path> jars() throws MojoFailureException {
        File own = project.getArtifact().getFile();
        if (own == null || !own.isFile()) {
            throw new MojoFailureException("The application's jar was not built before the image; run mvn -Ptarget=kvm package.");
        }
        List<Path> runtime = new ArrayList<>();
        for (Artifact a : project.getArtifacts()) {
            if (!Artifact.SCOPE_TEST.equals(a.getScope()) && !Artifact.SCOPE_PROVIDED.equals(a.getScope())
                    && a.getFile() != null && Files.isRegularFile(a.getFile().toPath())) {
                runtime.add(a.getFile().toPath());
            }
        }
        List<Path> jars = ReachableJars.from(own.toPath(), runtime);
        getLog().info("[mirage] " + (jars.size() - 1) + " of " + runtime.size() + " runtime jars are reached from the application: "
                + jars.stream().skip(1).map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.joining(", ")));
        return jars;
    }
}
