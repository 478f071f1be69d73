package org.mirage4j.block.virtio;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.mirage4j.virtio.DmaSlots;

/**
 * One request in flight: its DMA slot (header, status byte, data) and the future the completion
 * loop completes with the bytes the device reported, or fails.
 */
final class BlockRequest {

    final DmaSlots.Slot slot;
    final String what;
    private final CompletableFuture<Integer> done = new CompletableFuture<>();

    /** @param what the request in words, for messages: "a read of 8 sectors from sector 16" */
    BlockRequest(DmaSlots.Slot slot, String what) {
        this.slot = slot;
        this.what = what;
    }

    void complete(int length) {
        done.complete(length);
    }

    void fail(IOException e) {
        done.completeExceptionally(e);
    }

    /**
     * Waits for the device, also when interrupted (the device owns the slot until it answers or is
     * reset at disconnect, so the caller cannot leave earlier); returns the length it reported.
     */
    int await() throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return done.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) throw io;
                    throw new IOException(e.getCause());
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
