package org.mirage4j.image.guest;

import org.mirage4j.boot.Boot;

/** A unikernel whose job throws: the stack trace must reach the console and the status the host. */
public final class Fails {

    private Fails() {}

    public static void main(String[] args) {
        Boot.run(args, keys -> {
            System.out.println("about to fail");
            throw new IllegalStateException("the job failed on purpose");
        });
    }
}
