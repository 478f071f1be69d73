package org.mirage4j.skeleton.hello;

import jakarta.inject.Inject;
import java.time.Duration;
import org.mirage4j.api.Console;
import org.mirage4j.api.Job;
import org.mirage4j.api.time.Sleep;

/** Prints "Hello World!" four times, one second apart; the unikernel then exits with status 0. */
public final class Dispatch implements Job {

    private final Console console;
    private final Sleep sleep;

    @Inject
    Dispatch(Console console, Sleep sleep) {
        this.console = console;
        this.sleep = sleep;
    }

    @Override
    public void start() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            console.log("Hello World!");
            sleep.sleep(Duration.ofSeconds(1));
        }
    }
}
