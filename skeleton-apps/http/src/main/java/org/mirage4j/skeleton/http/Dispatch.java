package org.mirage4j.skeleton.http;

import static io.netty.handler.codec.http.HttpHeaderNames.ALLOW;
import static io.netty.handler.codec.http.HttpHeaderNames.CACHE_CONTROL;
import static io.netty.handler.codec.http.HttpHeaderNames.CONTENT_TYPE;
import static io.netty.handler.codec.http.HttpHeaderNames.ETAG;
import static io.netty.handler.codec.http.HttpHeaderNames.IF_NONE_MATCH;
import static io.netty.handler.codec.http.HttpHeaderNames.LOCATION;
import static io.netty.handler.codec.http.HttpHeaderNames.SERVER;
import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.METHOD_NOT_ALLOWED;
import static io.netty.handler.codec.http.HttpResponseStatus.MOVED_PERMANENTLY;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_MODIFIED;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.mirage4j.api.Console;
import org.mirage4j.api.Job;
import org.mirage4j.api.Key;
import org.mirage4j.api.kv.KvKey;
import org.mirage4j.api.kv.KvKind;
import org.mirage4j.api.kv.KvRo;
import org.mirage4j.api.net.Flow;
import org.mirage4j.api.net.IpAddress;
import org.mirage4j.api.net.Ipv6Address;
import org.mirage4j.api.net.StackV4V6;

/**
 * Serves the embedded {@code htdocs/} over HTTP/1.1 with keep-alive. Requests are parsed by
 * netty-codec-http, run in an {@link EmbeddedChannel} over each connection's {@link Flow}: bytes
 * read from the flow go in, encoded responses come out and are written back.
 *
 * <p>Each connection runs on its own virtual thread as straight-line code; a malformed request
 * gets 400 and its connection is closed, and nothing a client sends ends more than its own
 * connection.
 */
public final class Dispatch implements Job {

    private static final System.Logger LOG = System.getLogger("http");

    /** A keep-alive connection that sends nothing for this long is closed. */
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Bounds on what one request may make us hold (netty's defaults are larger). */
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADERS = 8192;
    private static final int MAX_BODY = 64 * 1024;

    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("wasm", "application/wasm"));

    private final Console console;
    private final StackV4V6 stack;
    private final KvRo htdocs;
    private final int port;

    @Inject
    Dispatch(Console console, StackV4V6 stack, KvRo htdocs, @Key("port") int port) {
        this.console = console;
        this.stack = stack;
        this.htdocs = htdocs;
        this.port = port;
    }

    @Override
    public void start() throws Exception {
        stack.tcp().listen(port, this::serve);
        console.log("http: ready, open " + url());
        stack.listen();
    }

    private String url() {
        IpAddress address = stack.addresses().isEmpty() ? null : stack.addresses().getFirst();
        String host = address == null || address.isUnspecified() ? "127.0.0.1"
                : address instanceof Ipv6Address ? "[" + address + "]" : address.toString();
        return "http://" + host + ":" + port + "/";
    }

    /** Serves one connection until the client closes it, asks to, sends garbage, or goes idle. */
    private void serve(Flow flow) throws IOException {
        flow.setReadTimeout(IDLE_TIMEOUT);
        EmbeddedChannel http = new EmbeddedChannel(
                new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADERS, MAX_BODY),
                new HttpObjectAggregator(MAX_BODY));
        try {
            for (ByteBuf bytes = flow.read(); bytes != null; bytes = flow.read()) {
                http.writeInbound(bytes); // the channel takes ownership of bytes
                boolean keepAlive = true;
                for (Object message = http.readInbound(); message != null && keepAlive; message = http.readInbound()) {
                    FullHttpRequest request = (FullHttpRequest) message;
                    try {
                        keepAlive = respond(http, request);
                    } finally {
                        request.release();
                    }
                }
                sendPending(http, flow); // also what the codec answered by itself (413, 100-continue)
                if (!keepAlive || !http.isOpen()) return;
            }
        } catch (SocketTimeoutException idle) {
            LOG.log(System.Logger.Level.DEBUG, "closing idle connection from {0}", flow.remoteAddress());
        } catch (SocketException gone) {
            // The client reset or lost the connection: a browser closing a tab, wrk ending its run. Nothing to answer.
            LOG.log(System.Logger.Level.DEBUG, "connection from {0} ended: {1}", flow.remoteAddress(), gone.getMessage());
        } finally {
            http.finishAndReleaseAll();
        }
    }

    /** Answers one request; returns whether the connection stays open. */
    private boolean respond(EmbeddedChannel http, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            http.writeOutbound(text(BAD_REQUEST, "Bad request: " + request.decoderResult().cause().getMessage() + "\n", false));
            return false;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpMethod method = request.method();
        FullHttpResponse response;
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            response = text(METHOD_NOT_ALLOWED, "Only GET and HEAD are served here.\n", keepAlive);
            response.headers().set(ALLOW, "GET, HEAD");
        } else {
            response = file(new QueryStringDecoder(request.uri()).path(), request, keepAlive);
            if (method.equals(HttpMethod.HEAD)) {
                response = withoutBody(response);
            }
        }
        http.writeOutbound(response);
        return keepAlive;
    }

    private FullHttpResponse file(String path, FullHttpRequest request, boolean keepAlive) {
        Optional<KvKey> key = keyOf(path);
        try {
            if (key.isEmpty()) return notFound(path, keepAlive);
            KvKey target = key.get();
            Optional<KvKind> kind = htdocs.exists(target);
            if (kind.isPresent() && kind.get() == KvKind.DICTIONARY) {
                if (!path.endsWith("/")) {
                    FullHttpResponse redirect = text(MOVED_PERMANENTLY, "Moved to " + path + "/\n", keepAlive);
                    redirect.headers().set(LOCATION, path + "/");
                    return redirect;
                }
                target = target.child("index.html");
                kind = htdocs.exists(target);
            }
            if (kind.isEmpty() || kind.get() != KvKind.VALUE) return notFound(path, keepAlive);

            String etag = "\"" + HexFormat.of().formatHex(htdocs.digest(target), 0, 16) + "\"";
            if (etag.equals(request.headers().get(IF_NONE_MATCH))) {
                FullHttpResponse notModified = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, NOT_MODIFIED);
                notModified.headers().set(ETAG, etag);
                return finish(notModified, keepAlive);
            }
            // get() hands us the buffer; the response owns it from here and the codec releases it once encoded.
            FullHttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, OK, htdocs.get(target));
            ok.headers().set(CONTENT_TYPE, contentType(target.name()));
            ok.headers().set(ETAG, etag);
            ok.headers().set(CACHE_CONTROL, "no-cache");
            return finish(ok, keepAlive);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "reading " + path + " failed", e);
            return notFound(path, keepAlive);
        }
    }

    /** The key for a request path, or empty for a path no file can have (such as one with {@code ..}). */
    private static Optional<KvKey> keyOf(String path) {
        try {
            return Optional.of(KvKey.parse(path));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
        return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
    }

    private static FullHttpResponse notFound(String path, boolean keepAlive) {
        return text(NOT_FOUND, "Not found: " + path + "\n", keepAlive);
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, UTF_8));
        response.headers().set(CONTENT_TYPE, "text/plain; charset=utf-8");
        return finish(response, keepAlive);
    }

    private static FullHttpResponse finish(FullHttpResponse response, boolean keepAlive) {
        response.headers().set(SERVER, "mirage4j");
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        return response;
    }

    /** The same response with its headers (Content-Length included) and no body, for HEAD. */
    private static FullHttpResponse withoutBody(FullHttpResponse response) {
        FullHttpResponse head = response.replace(Unpooled.EMPTY_BUFFER);
        response.release();
        return head;
    }

    /** Writes everything the codec encoded as one buffer, so headers and body leave in one segment. */
    private static void sendPending(EmbeddedChannel http, Flow flow) throws IOException {
        CompositeByteBuf batch = Unpooled.compositeBuffer();
        for (ByteBuf out = http.readOutbound(); out != null; out = http.readOutbound()) {
            batch.addComponent(true, out); // the composite owns out now
        }
        if (batch.isReadable()) {
            flow.write(batch); // the flow owns batch now
        } else {
            batch.release();
        }
    }
}
