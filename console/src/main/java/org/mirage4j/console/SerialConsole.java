package org.mirage4j.console;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import org.mirage4j.api.Console;
import org.mirage4j.api.DeviceException;

/**
 * The console of the kvm target: the character device of the first serial port, {@code /dev/ttyS0}, which
 * QEMU connects to where its {@code -serial} option says (the terminal, with {@code -serial stdio}). Any file that can be read and written works too (a named
 * pipe, a regular file: tests use them); output is appended to it.
 *
 * <p>Any thread may log and write; one lock makes each {@link #log} line and each {@link #write} reach the
 * device whole. Text is written as UTF-8 (the terminal driver turns line feeds into CR LF). Reads block the
 * calling thread, but the read from the device itself runs on a platform thread that this console owns
 * ({@code serial-console-reader}), because only a platform thread's read can be woken by {@link #disconnect()}.
 */
@Singleton
final class SerialConsole implements Console {

    /** The first serial port, which QEMU's {@code -serial} option provides. */
    static final Path DEFAULT_DEVICE = Path.of("/dev/ttyS0");

    private static final int READ_CHUNK = 4096;

    private final Path device;
    private final Object writeLock = new Object();
    /** One reader at a time, so that chunks come out in the order the device gave them. */
    private final ReentrantLock readLock = new ReentrantLock();
    /** Guards the fields below, for short steps only: nothing blocks while holding it. */
    private final Object stateLock = new Object();

    // Written under writeLock; a FileOutputStream because, unlike a FileChannel, it is not closed when an
    // interrupted thread writes to it.
    private OutputStream output;
    private FileChannel input;
    private ExecutorService reader;
    /** A read from the device that was started and whose chunk no read() has returned yet. */
    private CompletableFuture<ByteBuf> pending;
    private boolean disconnected;

    /** The console on {@link #DEFAULT_DEVICE}. */
    @Inject
    SerialConsole() {
        this(DEFAULT_DEVICE);
    }

    /** A console on {@code device}, for tests and for other serial ports. */
    SerialConsole(Path device) {
        this.device = device;
    }

    /**
     * Opens the device for reading and for appending.
     *
     * @throws DeviceException if the device does not exist or may not be read and written
     */
    @Override
    public void connect() throws IOException {
        FileChannel in;
        try {
            in = FileChannel.open(device, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new DeviceException("The serial console " + device + " does not exist: start the VM with a"
                    + " serial port (for QEMU, -serial stdio) or configure the stdout console instead.", e);
        } catch (AccessDeniedException e) {
            throw notAllowed(e);
        } catch (IOException e) {
            throw cannotOpen(e);
        }
        OutputStream out;
        try {
            if (!Files.isWritable(device)) {
                throw new AccessDeniedException(device.toString());
            }
            out = new FileOutputStream(device.toFile(), true);
        } catch (IOException e) {
            in.close();
            throw e instanceof AccessDeniedException ? notAllowed(e) : cannotOpen(e);
        }
        ExecutorService readerThread = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("serial-console-reader").factory());
        synchronized (writeLock) {
            output = out;
        }
        synchronized (stateLock) {
            input = in;
            reader = readerThread;
        }
    }

    private DeviceException notAllowed(IOException e) {
        return new DeviceException("The serial console " + device + " may not be read and written by this user:"
                + " run as root or grant read and write permission on " + device + ".", e);
    }

    private DeviceException cannotOpen(IOException e) {
        return new DeviceException("The serial console " + device + " cannot be opened (" + e.getMessage()
                + "): check that it names a serial port, such as /dev/ttyS0.", e);
    }

    /**
     * Writes {@code line} and a line feed in one write, never interleaved with another line or buffer.
     *
     * @throws IllegalStateException if the console is not connected, or is disconnected
     * @throws UncheckedIOException if the device fails
     */
    @Override
    public void log(String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (writeLock) {
            try {
                connectedOutput().write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Writes the readable bytes of {@code data}, never interleaved with a line or another buffer. Takes
     * ownership of {@code data}: it is released here, also when this throws.
     *
     * @throws IllegalStateException if the console is not connected, or is disconnected
     */
    @Override
    public void write(ByteBuf data) throws IOException {
        try {
            synchronized (writeLock) {
                data.getBytes(data.readerIndex(), connectedOutput(), data.readableBytes());
            }
        } finally {
            data.release();
        }
    }

    private OutputStream connectedOutput() {
        if (output == null) {
            throw new IllegalStateException("The serial console " + device + " is not connected: use it only"
                    + " between connect() and disconnect().");
        }
        return output;
    }

    /**
     * The next bytes from the device, as soon as some are available (a line, when the device is a terminal),
     * or {@code null} at the end of input or once the console is disconnected. The caller owns the buffer and
     * must release it. An interrupted read throws {@link InterruptedIOException} and loses nothing: the next
     * read returns what the device gave meanwhile.
     *
     * @throws IllegalStateException if the console was never connected
     */
    @Override
    public ByteBuf read() throws IOException {
        try {
            readLock.lockInterruptibly();
        } catch (InterruptedException e) {
            throw interrupted();
        }
        try {
            CompletableFuture<ByteBuf> chunk;
            synchronized (stateLock) {
                if (disconnected) {
                    return null;
                }
                if (input == null) {
                    throw new IllegalStateException("The serial console " + device + " is not connected: call connect() first.");
                }
                if (pending == null) {
                    FileChannel in = input;
                    pending = CompletableFuture.supplyAsync(() -> readChunk(in), reader);
                }
                chunk = pending;
            }
            ByteBuf data;
            try {
                data = chunk.get();
            } catch (InterruptedException e) {
                throw interrupted(); // the chunk stays pending, for the next read
            } catch (ExecutionException e) {
                synchronized (stateLock) {
                    if (pending == chunk) {
                        pending = null;
                    }
                }
                if (e.getCause() instanceof UncheckedIOException failed) {
                    if (failed.getCause() instanceof ClosedChannelException) {
                        return null; // disconnected while we waited
                    }
                    throw failed.getCause();
                }
                throw new IOException(e.getCause());
            }
            synchronized (stateLock) {
                if (pending != chunk) {
                    return null; // disconnect() took the chunk over and releases it
                }
                pending = null;
            }
            return data;
        } finally {
            readLock.unlock();
        }
    }

    private static InterruptedIOException interrupted() {
        Thread.currentThread().interrupt();
        return new InterruptedIOException("Interrupted while waiting for input from the serial console.");
    }

    /** Runs on the reader thread: one read from the device, or null at the end of input. */
    private static ByteBuf readChunk(FileChannel in) {
        ByteBuf chunk = ByteBufAllocator.DEFAULT.heapBuffer(READ_CHUNK);
        try {
            if (chunk.writeBytes(in, READ_CHUNK) < 0) {
                chunk.release();
                return null;
            }
            return chunk;
        } catch (IOException e) {
            chunk.release();
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Closes the device. A read blocked on it returns {@code null}, as do later reads; later logs and writes
     * throw {@link IllegalStateException}.
     */
    @Override
    public void disconnect() {
        FileChannel in;
        ExecutorService readerThread;
        CompletableFuture<ByteBuf> orphan;
        synchronized (stateLock) {
            disconnected = true;
            in = input;
            readerThread = reader;
            orphan = pending;
            pending = null;
        }
        if (in != null) {
            closeQuietly(in); // wakes the reader thread, which then ends
            readerThread.shutdown();
        }
        if (orphan != null) {
            // A chunk read for a reader that was interrupted, or is waiting still: nobody else will release it.
            orphan.thenAccept(ReferenceCountUtil::release);
        }
        synchronized (writeLock) {
            if (output != null) {
                closeQuietly(output);
                output = null;
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Closing is all that is left to do; a device that fails it has nothing more to give.
        }
    }
}
