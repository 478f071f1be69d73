package org.mirage4j.skeleton.block;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mirage4j.api.Console;
import org.mirage4j.api.Job;
import org.mirage4j.api.block.Block;
import org.mirage4j.api.block.BlockInfo;

/**
 * Writes a pattern over the whole block device, flushes, reads it back and checks every byte (mirage-skeleton's
 * block test). Requests of {@value #SECTORS_PER_REQUEST} sectors run from {@value #THREADS} virtual threads at once.
 * Prints the result; the unikernel exits 0 when every sector reads back as written, 1 otherwise.
 */
public final class Dispatch implements Job {

    private static final int THREADS = 8;
    private static final int SECTORS_PER_REQUEST = 32;

    private final Console console;
    private final Block disk;

    @Inject
    Dispatch(Console console, Block disk) {
        this.console = console;
        this.disk = disk;
    }

    @Override
    public void start() throws Exception {
        BlockInfo info = disk.info();
        console.log("block: " + info.sectors() + " sectors of " + info.sectorSize() + " bytes"
                + (info.readWrite() ? "" : ", read-only"));
        if (!info.readWrite()) {
            throw new IllegalStateException("block: the device is read-only, so no pattern can be written; give a writable one.");
        }
        forEachRequest(info, (start, count) -> {
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer(count * info.sectorSize());
            try {
                for (long s = start; s < start + count; s++) fill(out, s, info.sectorSize());
                disk.write(start, out); // we keep ownership of out
            } finally {
                out.release();
            }
            return 0L;
        });
        disk.flush();
        long bad = forEachRequest(info, (start, count) -> {
            ByteBuf in = ByteBufAllocator.DEFAULT.buffer(count * info.sectorSize(), count * info.sectorSize());
            ByteBuf expected = ByteBufAllocator.DEFAULT.buffer(count * info.sectorSize());
            try {
                disk.read(start, in); // we keep ownership of in
                long wrong = 0;
                for (long s = start; s < start + count; s++) {
                    fill(expected, s, info.sectorSize());
                    if (!in.readSlice(info.sectorSize()).equals(expected)) {
                        wrong++;
                        console.log("block: sector " + s + " does not read back as written");
                    }
                    expected.clear();
                }
                return wrong;
            } finally {
                in.release();
                expected.release();
            }
        });
        if (bad > 0) {
            throw new IllegalStateException("block: " + bad + " of " + info.sectors() + " sectors did not read back as written.");
        }
        console.log("block: wrote, flushed and read back all " + info.sectors() + " sectors (" + info.sizeBytes()
                + " bytes): every byte as written");
    }

    /** Each byte of a sector is a function of the sector's number and the byte's offset, so misplaced sectors show. */
    private static void fill(ByteBuf out, long sector, int sectorSize) {
        for (int i = 0; i < sectorSize; i += 8) out.writeLong(sector * 0x9E3779B97F4A7C15L + i);
    }

    @FunctionalInterface
    private interface Request {
        long run(long start, int count) throws Exception;
    }

    /** Runs {@code request} over the device in chunks, {@value #THREADS} at a time; returns the sum of the results. */
    private static long forEachRequest(BlockInfo info, Request request) throws Exception {
        List<Future<Long>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(THREADS);
            for (long start = 0; start < info.sectors(); start += SECTORS_PER_REQUEST) {
                long first = start;
                int count = (int) Math.min(SECTORS_PER_REQUEST, info.sectors() - start);
                inFlight.acquire();
                results.add(threads.submit(() -> {
                    try {
                        return request.run(first, count);
                    } finally {
                        inFlight.release(); // taken before submit, so given back here whatever happens
                    }
                }));
            }
        }
        long sum = 0;
        for (Future<Long> f : results) sum += f.get();
        return sum;
    }
}
