package org.mirage4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.Console;
import org.mirage4j.api.Device;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.Job;
import org.mirage4j.api.KeyType;
import org.mirage4j.api.RuntimeKey;

class MirageRuntimeTest {

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private final class Recording implements Device {
        private final String name;
        private final boolean fails;

        Recording(String name, boolean fails) {
            this.name = name;
            this.fails = fails;
        }

        @Override
        public void connect() throws DeviceException {
            if (fails) throw new DeviceException("Cannot open tap0: run 'sudo ip tuntap add dev tap0 mode tap user you' first.");
            events.add("connect " + name);
        }

        @Override
        public void disconnect() {
            events.add("disconnect " + name);
        }
    }

    private final class RecordingConsole implements Console {
        @Override public void connect() { events.add("connect console"); }
        @Override public void disconnect() { events.add("disconnect console"); }
        @Override public void log(String line) { events.add("log " + line); }
        @Override public void write(ByteBuf data) { data.release(); }
        @Override public ByteBuf read() { return null; }
    }

    private int run(List<RuntimeKey<?>> keys, List<String> args, Wiring wiring) {
        return new MirageRuntime("demo", keys, values -> wiring,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    private static Wiring.NamedDevice named(String name, Device device) {
        return new Wiring.NamedDevice(name, () -> device);
    }

    @Test
    void devicesConnectInOrderTheJobRunsAndTheyDisconnectInReverse() {
        Console console = new RecordingConsole();
        Wiring wiring = new Wiring(List.of(named("console", console), named("net", new Recording("net", false)),
                named("stack", new Recording("stack", false))), () -> () -> {
                    assertThat(Thread.currentThread().isVirtual()).isTrue();
                    events.add("job");
                });

        int status = run(List.of(), List.of(), wiring);

        assertThat(status).isZero();
        assertThat(events).containsExactly("connect console", "connect net", "connect stack", "job",
                "disconnect stack", "disconnect net", "disconnect console");
    }

    @Test
    void aJobThatThrowsExitsOneWithItsStackTraceOnTheConsole() {
        Console console = new RecordingConsole();
        Job failing = () -> {
            throw new IllegalStateException("boom");
        };

        int status = run(List.of(), List.of(), new Wiring(List.of(named("console", console)), () -> failing));

        assertThat(status).isEqualTo(MirageRuntime.FAILED);
        assertThat(String.join("\n", events)).contains("the job failed").contains("IllegalStateException: boom")
                .contains("at org.mirage4j.runtime.MirageRuntimeTest");
        assertThat(events.getLast()).isEqualTo("disconnect console");
    }

    @Test
    void aDeviceThatCannotConnectIsOneSentenceAndTheOthersAreDisconnected() {
        Wiring wiring = new Wiring(List.of(named("console", new RecordingConsole()), named("net", new Recording("net", true)),
                named("stack", new Recording("stack", false))), () -> () -> events.add("job"));

        int status = run(List.of(), List.of(), wiring);

        assertThat(status).isEqualTo(MirageRuntime.FAILED);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("demo: net: Cannot open tap0: run 'sudo ip tuntap add dev tap0 mode tap user you' first.\n");
        assertThat(events).containsExactly("connect console", "disconnect console");
    }

    @Test
    void helpPrintsTheKeysAndRunsNothing() {
        RuntimeKey<String> hello = RuntimeKey.optional("hello", KeyType.STRING, "Hello World!", "what to print");
        Wiring wiring = new Wiring(List.of(named("console", new RecordingConsole())), () -> () -> events.add("job"));

        int status = run(List.of(hello), List.of("--help"), wiring);

        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--hello=STRING\n      what to print (default: Hello World!)");
        assertThat(events).isEmpty();
    }

    @Test
    void aWrongCommandLineExitsTwoWithOneSentence() {
        Wiring wiring = new Wiring(List.of(), () -> () -> events.add("job"));

        int status = run(List.of(), List.of("--nope=1"), wiring);

        assertThat(status).isEqualTo(MirageRuntime.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("demo: Unknown key --nope: this unikernel takes --logs (see --help).\n");
        assertThat(events).isEmpty();
    }
}
