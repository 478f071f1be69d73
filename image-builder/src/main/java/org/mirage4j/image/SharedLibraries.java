package org.mirage4j.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the build machine's shared libraries a jlinked runtime needs besides its own: the C
 * library (libc, libm, libdl, libpthread, librt) and the dynamic loader. The image has no other
 * userland, so they go in with the JVM: the loader at the path the java launcher names
 * ({@code PT_INTERP}, {@code /lib64/ld-linux-x86-64.so.2}) and the libraries in {@value #IMAGE_DIR}.
 */
final class SharedLibraries {

    /** Where the libraries go in the image; the kernel command line puts it on {@code LD_LIBRARY_PATH}. */
    static final String IMAGE_DIR = "lib";

    /** Where the build machine keeps them, searched in order (Debian's multiarch directories first). */
    static final List<Path> HOST_DIRS = Stream.of("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64",
            "/usr/lib64", "/lib", "/usr/lib").map(Path::of).toList();

    /**
     * A file to copy into the image.
     *
     * @param imagePath where it goes, relative to the image's root
     * @param hostFile the file on the build machine (symbolic links resolved)
     */
    record Library(String imagePath, Path hostFile) {}

    private SharedLibraries() {}

    /**
     * The loader and the libraries that the ELF files of {@code jre} need, directly or through one
     * another, and that {@code jre} does not hold itself.
     *
     * @throws ImageException when one is not on the build machine
     */
    static List<Library> forRuntime(Path jre, List<Path> hostDirs) throws IOException {
        Set<String> own = new HashSet<>();
        List<Path> elves = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(jre)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                if (!Elf.isElf(p)) continue;
                elves.add(p);
                own.add(p.getFileName().toString());
            }
        }
        Path java = jre.resolve("bin/java");
        Optional<String> interpreter = Elf.read(java).interpreter();
        List<Library> libraries = new ArrayList<>();
        Set<String> seen = new HashSet<>(own);
        interpreter.ifPresent(path -> seen.add(Path.of(path).getFileName().toString()));

        Deque<Path> toRead = new ArrayDeque<>(elves);
        while (!toRead.isEmpty()) {
            Path file = toRead.removeFirst();
            for (String soname : Elf.read(file).needed()) {
                if (!seen.add(soname)) continue;
                Path host = find(soname, hostDirs).orElseThrow(() -> new ImageException("The Java runtime needs " + soname
                        + ", which is in none of " + hostDirs + "; install the C library (on Debian: apt-get install libc6)."));
                libraries.add(new Library(IMAGE_DIR + "/" + soname, host));
                toRead.addLast(host);
            }
        }
        if (interpreter.isPresent()) {
            Path host = Path.of(interpreter.get());
            if (!Files.isRegularFile(host)) {
                throw new ImageException("The java launcher's loader " + host + " is not on this machine; install the C library (on Debian: apt-get install libc6).");
            }
            libraries.addFirst(new Library(interpreter.get().substring(1), host.toRealPath()));
        }
        return List.copyOf(libraries);
    }

    private static Optional<Path> find(String soname, List<Path> dirs) throws IOException {
        for (Path dir : dirs) {
            Path candidate = dir.resolve(soname);
            if (Files.isRegularFile(candidate)) return Optional.of(candidate.toRealPath());
        }
        return Optional.empty();
    }
}
