package org.mirage4j.console;

import dagger.Binds;
import dagger.Module;
import org.mirage4j.api.Console;

/** Binds {@link Console} to the process's standard output and input: the console of the unix target. */
@Module
public interface StdoutConsoleModule {

    /** The console on standard output and input, one per component. */
    @Binds
    Console console(StdoutConsole console);
}
