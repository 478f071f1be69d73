package org.mirage4j.config.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.mirage4j.block.tar.TarImage;

/**
 * Builds the disk image of a read-only tar store in {@code package}: a tar archive of the directory
 * {@code mirage.tar.directory} names (relative to the application), written to {@code target/ARTIFACT.tar}
 * unless {@code mirage.tar.file} says otherwise. {@code m.tarKvRo(m.block("data"))} in Config.java serves it,
 * with {@code --block-file=target/ARTIFACT.tar} on unix or {@code run.sh --disk target/ARTIFACT.tar} on kvm
 * (mirage-tar_kv_ro's counterpart of {@code ocaml-tar}'s archive). Does nothing when no directory is named.
 */
@Mojo(name = "tar", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public final class TarMojo extends AbstractMojo {

    /** The directory to archive, relative to the application's directory; none: no image. */
    @Parameter(property = "mirage.tar.directory")
    private String directory;

    /** Where the image goes. */
    @Parameter(property = "mirage.tar.file", defaultValue = "${project.build.directory}/${project.artifactId}.tar")
    private File file;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (directory == null || directory.isBlank() || "pom".equals(project.getPackaging())) {
            getLog().debug("[mirage] no mirage.tar.directory: no tar image");
            return;
        }
        getLog().info("[mirage] " + build(project.getBasedir().toPath(), directory, file.toPath()));
    }

    /**
     * Archives {@code directory} (resolved against {@code base}) into {@code image}.
     *
     * @return what was written, for the build's log
     * @throws MojoFailureException with one sentence when the directory is not there
     */
    static String build(Path base, String directory, Path image) throws MojoFailureException, MojoExecutionException {
        Path source = base.resolve(directory).normalize();
        if (!Files.isDirectory(source)) {
            throw new MojoFailureException("mirage.tar.directory is '" + directory + "', but " + source
                    + " is not a directory: name the directory the tar image should hold, relative to the application.");
        }
        try {
            Files.createDirectories(image.toAbsolutePath().getParent());
            long size = TarImage.write(source, image);
            return "tar image " + base.relativize(image.toAbsolutePath()) + " of " + directory + ": " + size
                    + " bytes; serve it with m.tarKvRo(m.block(...)) and --block-file (unix) or run.sh --disk (kvm)";
        } catch (IOException e) {
            throw new MojoExecutionException("Writing the tar image " + image + " failed: " + e.getMessage(), e);
        }
    }
}
