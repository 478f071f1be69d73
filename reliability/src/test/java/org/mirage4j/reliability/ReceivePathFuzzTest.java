package org.mirage4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.mirage4j.tcpip.direct.DropReason;

/**
 * A coverage-guided fuzz test of the whole receive path (issue 9, part 2): the fuzzer's input is cut into frames
 * ({@link #frames}), which go into a running {@link StackPair}'s stack as if from the wire. After each input no
 * handling has thrown ({@link DropReason#INTERNAL_ERROR} stays 0), the stack took every frame within ten seconds
 * (bounded work: no endless loop; generous, since under fuzzing each class is instrumented when first used), and
 * its tables stay within their bounds. Buffers: the build runs tests with
 * netty's leak detector at PARANOID, so a frame the stack forgets to release fails the run.
 *
 * <p>Seeds: {@code src/test/resources/org/mirage4j/reliability/ReceivePathFuzzTestInputs/frames/}, real frames of
 * every kind in this input format ({@link FuzzSeeds} writes them).
 */
class ReceivePathFuzzTest {

    /** Longer than any frame: the 2-octet length prefix is taken modulo this. */
    private static final int MAX_FRAME = 1518;
    private static final Duration PER_INPUT = Duration.ofSeconds(10);

    private static StackPair pair;

    private static StackPair pair() throws IOException {
        if (pair == null) pair = StackPair.start();
        return pair;
    }

    @AfterAll
    static void close() {
        if (pair != null) pair.close();
        pair = null;
    }

    @FuzzTest
    void frames(byte[] input) throws IOException {
        StackPair p = pair();
        long before = p.stack().stats().stack().received();
        int count = 0;
        for (int i = 0; i + 2 <= input.length; ) {
            int length = (((input[i] & 0xFF) << 8) | (input[i + 1] & 0xFF)) % MAX_FRAME;
            int end = Math.min(input.length, i + 2 + length);
            p.inject(Arrays.copyOfRange(input, i + 2, end));
            count++;
            i = end;
        }
        long deadline = System.nanoTime() + PER_INPUT.toNanos();
        while (p.stack().stats().stack().received() < before + count || !p.drain(Duration.ZERO)) {
            assertThat(System.nanoTime()).as("the stack took " + count + " frames within " + PER_INPUT).isLessThan(deadline);
            LockSupport.parkNanos(20_000);
        }
        assertThat(p.stack().stats().stack().dropped(DropReason.INTERNAL_ERROR)).as("frames whose handling threw").isZero();
        assertThat(p.stack().tcpStats().connections()).as("TCP connections held").isLessThanOrEqualTo(4096);
    }
}
