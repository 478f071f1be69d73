package org.mirage4j.console;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.DeviceException;
import org.mirage4j.testing.TrackedHeapAllocator;

class SerialConsoleTest {

    @TempDir
    Path dir;

    @Test
    void aMissingDeviceIsOneSentenceSayingWhatToDo() {
        Path missing = dir.resolve("ttyS9");
        var console = new SerialConsole(missing);

        assertThatThrownBy(console::connect)
                .isInstanceOf(DeviceException.class)
                .hasMessageStartingWith("The serial console " + missing + " does not exist: start the VM with a serial port")
                .hasMessageEndingWith(".")
                .hasMessageNotContaining("\n");
        assertThat(missing).doesNotExist(); // and it was not created as a file either
    }

    @Test
    void aPathThatIsNoDeviceIsAClearError() {
        var console = new SerialConsole(dir);

        assertThatThrownBy(console::connect)
                .isInstanceOf(DeviceException.class)
                .hasMessageStartingWith("The serial console " + dir + " cannot be opened (")
                .hasMessageEndingWith("): check that it names a serial port, such as /dev/ttyS0.");
    }

    @Test
    void logsAndWritesAreAppendedToTheDevice() throws IOException {
        Path device = Files.writeString(dir.resolve("ttyS0"), "boot\n");
        var console = new SerialConsole(device);
        console.connect();
        try {
            console.log("hello, ünïcode");
            ByteBuf data = TrackedHeapAllocator.INSTANCE.heapBuffer();
            data.writeCharSequence("raw bytes", UTF_8);
            console.write(data);
            assertThat(data.refCnt()).isZero();
        } finally {
            console.disconnect();
        }

        assertThat(Files.readString(device)).isEqualTo("boot\nhello, ünïcode\nraw bytes");
    }

    @Test
    void readReturnsTheDevicesBytesThenNullAtTheEnd() throws IOException {
        Path device = Files.writeString(dir.resolve("ttyS0"), "typed\n");
        var console = new SerialConsole(device);
        console.connect();
        try {
            ByteBuf typed = console.read();
            try {
                assertThat(typed.toString(UTF_8)).isEqualTo("typed\n");
            } finally {
                typed.release();
            }
            assertThat(console.read()).isNull();
        } finally {
            console.disconnect();
        }
    }

    @Test
    void usingItBeforeConnectOrAfterDisconnectFailsClearly() throws IOException {
        Path device = Files.createFile(dir.resolve("ttyS0"));
        var console = new SerialConsole(device);
        ByteBuf data = TrackedHeapAllocator.INSTANCE.heapBuffer().writeByte('x');

        assertThatThrownBy(() -> console.log("early")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("use it only between connect() and disconnect()");
        assertThatThrownBy(() -> console.write(data)).isInstanceOf(IllegalStateException.class);
        assertThat(data.refCnt()).isZero();
        assertThatThrownBy(console::read).isInstanceOf(IllegalStateException.class);

        console.connect();
        console.disconnect();
        assertThatThrownBy(() -> console.log("late")).isInstanceOf(IllegalStateException.class);
        assertThat(console.read()).isNull();
        assertThat(device).isEmptyFile();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aNamedPipeCarriesLinesBothWays() throws Exception {
        Path fifo = mkfifo("serial");
        // Our end holds the pipe open for reading and writing, as QEMU holds the other end of a serial port.
        try (FileChannel terminal = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            var console = new SerialConsole(fifo);
            console.connect();
            try {
                console.log("login:");
                assertThat(readExactly(terminal, "login:\n".length())).isEqualTo("login:\n");

                terminal.write(ByteBuffer.wrap("root\n".getBytes(UTF_8)));
                ByteBuf typed = console.read();
                try {
                    assertThat(typed.toString(UTF_8)).isEqualTo("root\n");
                } finally {
                    typed.release();
                }
            } finally {
                console.disconnect();
            }
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void disconnectWakesABlockedReadWhichReturnsNull() throws Exception {
        Path fifo = mkfifo("serial");
        // Held open so that the console's open does not wait for a writer; nothing is ever written to it.
        FileChannel terminal = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            var console = new SerialConsole(fifo);
            console.connect();
            var read = new CompletableFuture<ByteBuf>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    read.complete(console.read());
                } catch (Throwable e) {
                    read.completeExceptionally(e);
                }
            });
            awaitBlocked(reader);

            console.disconnect();

            assertThat(read.get(10, TimeUnit.SECONDS)).isNull();
        } finally {
            terminal.close();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anInterruptedReadLosesNoInput() throws Exception {
        Path fifo = mkfifo("serial");
        try (FileChannel terminal = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            var console = new SerialConsole(fifo);
            console.connect();
            try {
                var failure = new CompletableFuture<Throwable>();
                Thread reader = Thread.ofVirtual().start(() -> {
                    try {
                        ByteBuf unexpected = console.read();
                        unexpected.release();
                        failure.complete(null);
                    } catch (Throwable e) {
                        failure.complete(e);
                    }
                });
                awaitBlocked(reader);
                reader.interrupt();
                assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class);

                terminal.write(ByteBuffer.wrap("after\n".getBytes(UTF_8)));
                ByteBuf typed = console.read();
                try {
                    assertThat(typed.toString(UTF_8)).isEqualTo("after\n");
                } finally {
                    typed.release();
                }
            } finally {
                console.disconnect();
            }
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void disconnectReleasesAChunkThatNoReaderTook() throws Exception {
        Path fifo = mkfifo("serial");
        try (FileChannel terminal = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            var console = new SerialConsole(fifo);
            console.connect();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    console.read().release();
                } catch (IOException e) {
                    // expected: interrupted below
                }
            });
            awaitBlocked(reader);
            reader.interrupt();
            reader.join();
            // The reader thread now reads this into a chunk that nobody will take; the leak check (which runs
            // around every test) fails the test if disconnect does not release it.
            terminal.write(ByteBuffer.wrap("orphan".getBytes(UTF_8)));
            Thread.sleep(200);

            console.disconnect();
        }
    }

    private Path mkfifo(String name) throws IOException, InterruptedException {
        Path fifo = dir.resolve(name);
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).as("mkfifo %s (coreutils) exit status", fifo).isZero();
        return fifo;
    }

    private static String readExactly(FileChannel channel, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                break;
            }
        }
        return new String(buffer.array(), 0, buffer.position(), UTF_8);
    }

    /** Waits until {@code thread} is parked or blocked, that is waiting in read(). */
    private static void awaitBlocked(Thread thread) throws InterruptedException {
        while (thread.getState() == Thread.State.RUNNABLE || thread.getState() == Thread.State.NEW) {
            Thread.sleep(10);
        }
        Thread.sleep(50);
    }
}
