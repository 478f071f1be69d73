package org.mirage4j.image.guest;

import org.mirage4j.boot.Boot;

/** The smallest unikernel: prints "Hello World!" four times, then the runtime keys it got, and exits 0. */
public final class HelloWorld {

    private HelloWorld() {}

    public static void main(String[] args) {
        Boot.run(args, keys -> {
            for (int i = 0; i < 4; i++) System.out.println("Hello World!");
            System.out.println("keys: " + keys);
            return 0;
        });
    }
}
