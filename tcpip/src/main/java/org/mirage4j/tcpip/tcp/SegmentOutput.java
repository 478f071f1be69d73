package org.mirage4j.tcpip.tcp;

import io.netty.buffer.ByteBuf;
import org.mirage4j.tcpip.wire.SeqNum;

/** How the {@link Sender} puts data segments out: its {@link Connection} adds the acknowledgment, window and options. */
interface SegmentOutput {

    /** How many octets of data fit in the next data segment beside its options. */
    int payloadRoom();

    /**
     * How many octets of new data the next data segment may carry when the network device cuts it into segments of
     * {@link #payloadRoom()} octets (TCP segmentation offload): a multiple of it, or just it without the offload.
     */
    default int offloadRoom() {
        return payloadRoom();
    }

    /**
     * Sends an ACK segment at {@code seq} carrying the readable bytes of {@code payload}, and a FIN if {@code fin}.
     * {@code payload} is borrowed: valid during the call only, never released by the callee.
     */
    void sendData(SeqNum seq, ByteBuf payload, boolean fin, long now);
}
