package org.mirage4j.reliability;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.SocketException;
import org.mirage4j.api.net.Flow;
import org.mirage4j.api.net.FlowHandler;

/**
 * A fixed HTTP/1.1 page: reads the request up to its blank line, answers {@code 200 OK} with a body of the size
 * asked for, and closes. Enough HTTP to show that the stack serves; the point is the stack, not HTTP. Runs on the
 * flow's virtual thread.
 */
final class HttpPage implements FlowHandler {

    /** The size of the small page's body. */
    static final int SMALL = 612;
    /** The first line of every answer. */
    static final String STATUS = "HTTP/1.1 200 OK";
    /** Requests longer than this are cut off: the handler reads no further. */
    private static final int MAX_REQUEST = 8192;

    private final byte[] response;

    HttpPage(int bodySize) {
        byte[] body = new byte[bodySize];
        for (int i = 0; i < bodySize; i++) body[i] = (byte) ('a' + i % 26);
        String head = STATUS + "\r\nContent-Type: text/plain\r\nContent-Length: " + bodySize + "\r\nConnection: close\r\n\r\n";
        byte[] headBytes = head.getBytes(US_ASCII);
        response = new byte[headBytes.length + bodySize];
        System.arraycopy(headBytes, 0, response, 0, headBytes.length);
        System.arraycopy(body, 0, response, headBytes.length, bodySize);
    }

    @Override
    public void handle(Flow flow) throws Exception {
        try {
            StringBuilder request = new StringBuilder();
            while (request.indexOf("\r\n\r\n") < 0 && request.length() < MAX_REQUEST) {
                ByteBuf data = flow.read();
                if (data == null) return; // the client left before asking
                try {
                    request.append(data.toString(US_ASCII));
                } finally {
                    data.release();
                }
            }
            flow.write(Unpooled.wrappedBuffer(response)); // a view of the shared bytes, which no one writes to; write releases it
            flow.shutdownOutput();
        } catch (SocketException e) {
            // The client reset the connection or hung up mid-page, as the soak's droppers do: nothing left to serve.
        }
    }
}
