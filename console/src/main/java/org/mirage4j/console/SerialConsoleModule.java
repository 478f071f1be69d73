package org.mirage4j.console;

import dagger.Binds;
import dagger.Module;
import org.mirage4j.api.Console;

/** Binds {@link Console} to the first serial port, {@code /dev/ttyS0}: the console of the kvm target. */
@Module
public interface SerialConsoleModule {

    /** The console on {@code /dev/ttyS0}, one per component. */
    @Binds
    Console console(SerialConsole console);
}
