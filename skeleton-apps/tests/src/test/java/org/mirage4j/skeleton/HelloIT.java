package org.mirage4j.skeleton;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** mirage-skeleton's tutorial: hello and hello-key, run as processes. */
class HelloIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @Test
    void helloPrintsFourTimesASecondApartAndExitsZero() throws Exception {
        try (App hello = App.start("hello")) {
            long start = System.nanoTime();
            int status = hello.awaitExit(LIMIT);

            assertThat(status).as(hello.output()).isZero();
            assertThat(hello.lines()).filteredOn(l -> l.equals("Hello World!")).hasSize(4);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        }
    }

    @Test
    void helloKeyPrintsTheKeysValue() throws Exception {
        try (App hello = App.start("hello-key", "--hello=Hi")) {
            assertThat(hello.awaitExit(LIMIT)).as(hello.output()).isZero();
            assertThat(hello.lines()).filteredOn(l -> l.equals("Hi")).hasSize(4);
        }
    }

    @Test
    void helpListsEveryKeyWithItsDocAndDefault() throws Exception {
        try (App hello = App.start("hello-key", "--help")) {
            assertThat(hello.awaitExit(LIMIT)).isZero();
            assertThat(hello.output())
                    .contains("--hello=STRING", "what to print, four times (default: Hello World!)")
                    .contains("--logs=STRING, -l STRING")
                    .doesNotContain("Hello World!\n");
        }
    }

    @Test
    void anUnknownKeyIsOneSentenceAndStatusTwo() throws Exception {
        try (App hello = App.start("hello-key", "--helo=Hi")) {
            assertThat(hello.awaitExit(LIMIT)).isEqualTo(2);
            assertThat(hello.lines()).containsExactly("hello-key: Unknown key --helo: this unikernel takes --hello, --logs (see --help).");
        }
    }
}
