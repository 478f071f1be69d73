package org.mirage4j.skeleton.hellokey;

import jakarta.inject.Inject;
import java.time.Duration;
import org.mirage4j.api.Console;
import org.mirage4j.api.Job;
import org.mirage4j.api.Key;
import org.mirage4j.api.time.Sleep;

/** Prints the value of {@code --hello} four times, one second apart. */
public final class Dispatch implements Job {

    private final Console console;
    private final Sleep sleep;
    private final String hello;

    @Inject
    Dispatch(Console console, Sleep sleep, @Key("hello") String hello) {
        this.console = console;
        this.sleep = sleep;
        this.hello = hello;
    }

    @Override
    public void start() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            console.log(hello);
            sleep.sleep(Duration.ofSeconds(1));
        }
    }
}
