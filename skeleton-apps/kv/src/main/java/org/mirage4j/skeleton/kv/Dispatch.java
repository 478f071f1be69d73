package org.mirage4j.skeleton.kv;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.util.ByteProcessor;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.mirage4j.api.Console;
import org.mirage4j.api.Job;
import org.mirage4j.api.Key;
import org.mirage4j.api.kv.KvException;
import org.mirage4j.api.kv.KvKey;
import org.mirage4j.api.kv.KvRw;
import org.mirage4j.api.net.Flow;
import org.mirage4j.api.net.StackV4V6;

/**
 * A key-value service over TCP with a line protocol, one request per line, one answer line per request:
 *
 * <pre>
 *  SET key value    OK                 the value is the rest of the line; OK means it is on the disk
 *  GET key          value | NOT_FOUND
 *  DEL key          OK                 also when there was nothing to delete; a dictionary goes whole
 *  anything else    ERR one sentence
 * </pre>
 *
 * Keys are paths such as {@code users/42}. The data lives in the crash-safe store, so an {@code OK} survives a
 * crash or a power cut and the data survives restarts. Each connection runs on its own virtual thread as
 * straight-line code; a line longer than {@value #MAX_LINE} bytes ends its connection.
 */
public final class Dispatch implements Job {

    private static final System.Logger LOG = System.getLogger("kv");
    private static final int MAX_LINE = 64 * 1024;
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);

    private final Console console;
    private final StackV4V6 stack;
    private final KvRw store;
    private final int port;

    @Inject
    Dispatch(Console console, StackV4V6 stack, KvRw store, @Key("port") int port) {
        this.console = console;
        this.stack = stack;
        this.store = store;
        this.port = port;
    }

    @Override
    public void start() throws Exception {
        stack.tcp().listen(port, this::serve);
        console.log("kv: serving on port " + port + " (SET key value, GET key, DEL key)");
        stack.listen();
    }

    /** Answers the lines of one connection until the client closes it, sends too long a line, or goes idle. */
    private void serve(Flow flow) throws IOException {
        flow.setReadTimeout(IDLE_TIMEOUT);
        CompositeByteBuf pending = ByteBufAllocator.DEFAULT.compositeBuffer();
        try {
            for (ByteBuf data = flow.read(); data != null; data = flow.read()) {
                pending.addComponent(true, data); // pending owns data now
                int end;
                while ((end = pending.forEachByte(ByteProcessor.FIND_LF)) >= 0) {
                    String line = pending.readCharSequence(end - pending.readerIndex(), UTF_8).toString();
                    pending.skipBytes(1);
                    flow.write(ByteBufAllocator.DEFAULT.buffer().writeBytes((answer(stripCr(line)) + "\n").getBytes(UTF_8)));
                }
                pending.discardReadComponents();
                if (pending.readableBytes() > MAX_LINE) {
                    flow.write(ByteBufAllocator.DEFAULT.buffer().writeBytes(
                            ("ERR A line is longer than " + MAX_LINE + " bytes; send shorter values.\n").getBytes(UTF_8)));
                    return;
                }
            }
        } catch (SocketTimeoutException idle) {
            LOG.log(System.Logger.Level.DEBUG, "closing idle connection from {0}", flow.remoteAddress());
        } finally {
            pending.release();
        }
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    /** The answer to one request line. */
    String answer(String line) {
        String[] words = line.split(" ", 3);
        String command = words[0];
        try {
            return switch (command) {
                case "SET" -> {
                    if (words.length < 2) yield "ERR SET needs a key and a value: SET key value.";
                    ByteBuf value = ByteBufAllocator.DEFAULT.buffer().writeBytes((words.length == 3 ? words[2] : "").getBytes(UTF_8));
                    try {
                        store.set(key(words[1]), value); // we keep ownership of value
                    } finally {
                        value.release();
                    }
                    yield "OK";
                }
                case "GET" -> {
                    if (words.length != 2) yield "ERR GET takes one key: GET key.";
                    ByteBuf value = store.get(key(words[1])); // ours to release
                    try {
                        yield value.toString(UTF_8);
                    } finally {
                        value.release();
                    }
                }
                case "DEL" -> {
                    if (words.length != 2) yield "ERR DEL takes one key: DEL key.";
                    store.remove(key(words[1]));
                    yield "OK";
                }
                case "" -> "ERR The line is empty; send SET key value, GET key or DEL key.";
                default -> "ERR Unknown command " + command + "; send SET key value, GET key or DEL key.";
            };
        } catch (IllegalArgumentException e) {
            return "ERR " + e.getMessage();
        } catch (KvException e) {
            if (e.reason() == KvException.Reason.NOT_FOUND) return "NOT_FOUND";
            return "ERR " + e.getMessage();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "the store failed", e);
            return "ERR The store failed (" + e.getMessage() + "); see the server's log.";
        }
    }

    /** A key from the client's text; a path such as {@code users/42}. */
    private static KvKey key(String text) {
        KvKey key = KvKey.parse(text);
        if (key.isRoot()) throw new IllegalArgumentException("'" + text + "' is not a key; use a name such as users/42.");
        return key;
    }
}
