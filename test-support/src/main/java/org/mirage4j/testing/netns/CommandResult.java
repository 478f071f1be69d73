package org.mirage4j.testing.netns;

import java.io.IOException;
import java.util.List;

/**
 * How a command ended.
 *
 * @param command the command line, for messages
 * @param exitCode its exit status
 * @param stdout what it wrote to standard output
 * @param stderr what it wrote to standard error
 */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    public CommandResult {
        command = List.copyOf(command);
    }

    /**
     * Returns this result if the command succeeded.
     *
     * @throws IOException naming the command, its status and its standard error, if it did not
     */
    public CommandResult orThrow() throws IOException {
        if (exitCode != 0) {
            throw new IOException("`" + String.join(" ", command) + "` exited with status " + exitCode
                    + (stderr.isBlank() ? "" : ": " + stderr.strip()));
        }
        return this;
    }
}
