package org.mirage4j.image;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.mirage4j.api.DeviceException;
import org.mirage4j.boot.Boot;

/** Jars for test images: the guest classes of this module, and boot and mirage-api as the build has them. */
final class TestJars {

    private TestJars() {}

    /** A jar of the guest package, boot's jar and mirage-api's jar, written under {@code dir} where needed. */
    static List<Path> guestClasspath(Path dir) throws IOException {
        Path testClasses = codeSource(TestJars.class);
        Path guest = jar(dir.resolve("guest.jar"), testClasses, "org/mirage4j/image/guest/");
        return List.of(guest, asJar(codeSource(Boot.class), dir.resolve("boot.jar")),
                asJar(codeSource(DeviceException.class), dir.resolve("mirage-api.jar")));
    }

    private static Path asJar(Path location, Path jar) throws IOException {
        return Files.isDirectory(location) ? jar(jar, location, "") : location;
    }

    private static Path jar(Path jar, Path classes, String prefix) throws IOException {
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> walk = Files.walk(classes)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                String name = classes.relativize(file).toString();
                if (!name.startsWith(prefix)) continue;
                out.putNextEntry(new JarEntry(name));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
