package org.mirage4j.net.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class PartialChecksumTest {

    @Test
    void aSumOfZeroIsStoredAsAllOnesForUdpsSake() {
        // The field alone, holding 0xFFFF: the ones' complement of its sum is 0, which UDP reads as "no checksum".
        MemorySegment frame = MemorySegment.ofArray(new byte[36]);
        frame.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 34, (byte) 0xFF);
        frame.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 35, (byte) 0xFF);
        assertThat(PartialChecksum.finish(frame, 36, 34, 0)).isTrue();
        assertThat(frame.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).endsWith((byte) 0xFF, (byte) 0xFF);
    }

    @Test
    void theRfc1071ExampleWithAnOddLastOctet() {
        // RFC 1071 section 3's words 0001 f203 f4f5 f6f7 sum to 0xddf2 (folded); the field after them starts at 0.
        byte[] bytes = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7, 0, 0, (byte) 0x80};
        MemorySegment frame = MemorySegment.ofArray(bytes);
        assertThat(PartialChecksum.finish(frame, bytes.length, 0, 8)).isTrue();
        // With the odd octet 0x80 (as 0x8000): 0xddf2 + 0x8000 = 0x15df2, folded 0x5df3, complemented 0xa20c.
        assertThat(bytes[8] & 0xFF).isEqualTo(0xa2);
        assertThat(bytes[9] & 0xFF).isEqualTo(0x0c);
    }

    @Test
    void aFieldOutsideTheFrameChangesNothing() {
        byte[] bytes = new byte[40];
        assertThat(PartialChecksum.finish(MemorySegment.ofArray(bytes), 40, 34, 6)).isFalse();
        assertThat(PartialChecksum.finish(MemorySegment.ofArray(bytes), 40, 39, 0)).isFalse();
        assertThat(bytes).containsOnly(0);
    }
}
