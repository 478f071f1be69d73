package org.mirage4j.skeleton;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A skeleton application copied into a directory of the test's and built there by Maven exactly as a
 * user builds it, with other options than the unix build the reactor made (a target profile,
 * {@code -Dmirage.net=direct}); the original's build stays as the other tests expect it.
 */
final class AppCopy {

    /** The project's root directory. */
    static final Path ROOT = Path.of(System.getProperty("mirage.projectRoot", "../..")).toAbsolutePath().normalize();

    private AppCopy() {}

    /**
     * Copies {@code skeleton-apps/NAME} (without its build) into {@code work/NAME}, replaces the files in
     * {@code changedFiles} (relative path to content), and runs {@code mvnw -B -q -o ARGS} there, offline against
     * the artifacts the project's build installed.
     *
     * @return the copy's directory
     */
    static Path build(Path work, String name, Map<String, String> changedFiles, String... mavenArgs) throws Exception {
        Path app = work.resolve(name);
        Path source = ROOT.resolve("skeleton-apps").resolve(name);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : files.filter(p -> !source.relativize(p).startsWith("target")).toList()) {
                Path to = app.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(to);
                else Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        for (Map.Entry<String, String> change : changedFiles.entrySet()) {
            Files.writeString(app.resolve(change.getKey()), change.getValue());
        }
        Path pom = app.resolve("pom.xml");
        Files.writeString(pom, Files.readString(pom).replace("<relativePath>../../app-parent/pom.xml</relativePath>",
                "<relativePath>" + ROOT.resolve("app-parent/pom.xml") + "</relativePath>"));
        List<String> mvn = new ArrayList<>(List.of(ROOT.resolve("mvnw").toString(), "-B", "-q", "-o"));
        mvn.addAll(List.of(mavenArgs));
        String repo = System.getProperty("mirage.localRepository");
        if (repo != null) mvn.add("-Dmaven.repo.local=" + repo);
        Run build = Run.of(app, 600, mvn);
        assertThat(build.status()).as("mvn %s of %s:\n%s", String.join(" ", mavenArgs), name, build.output()).isZero();
        return app;
    }
}
