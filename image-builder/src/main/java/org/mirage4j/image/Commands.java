package org.mirage4j.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs a host program and returns what it printed; used for Debian's apt tools. */
final class Commands {

    private Commands() {}

    /**
     * Runs {@code command} in {@code directory} and returns its standard output.
     *
     * @param whatToDo the sentence that ends the error message when the program is missing or fails
     * @throws ImageException when the program is missing or exits non-zero, with its output and {@code whatToDo}
     */
    static String run(Path directory, String whatToDo, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(directory.toFile())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ImageException(command[0] + " is not installed: " + whatToDo, e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status;
        try {
            status = process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ImageException("Interrupted while running " + String.join(" ", command) + ".", e);
        }
        if (status != 0) {
            throw new ImageException(String.join(" ", command) + " failed (exit status " + status + "): "
                    + output.strip().lines().reduce((a, b) -> b).orElse("") + "; " + whatToDo);
        }
        return output;
    }
}
