package org.mirage4j.api.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class OffloadsTest {

    @Test
    void largeFramesNeedChecksumOffloadAndASize() {
        assertThatThrownBy(() -> new Offloads(false, true, false, 9000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checksum offload");
        assertThatThrownBy(() -> new Offloads(true, false, true, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxFrameSize");
        assertThatThrownBy(() -> new Offloads(true, true, true, Offloads.MAX_FRAME_SIZE + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Offloads.NONE.header()).isFalse();
        assertThat(new Offloads(true, false, false, 0).header()).isTrue();
    }

    @Test
    void intersectKeepsWhatBothHave() {
        Offloads tsoOnly = new Offloads(true, true, false, 32_000);
        assertThat(Offloads.ALL.intersect(tsoOnly)).isEqualTo(tsoOnly);
        assertThat(tsoOnly.intersect(Offloads.NONE)).isEqualTo(Offloads.NONE);
        assertThat(new Offloads(true, false, true, 9000).intersect(tsoOnly)).isEqualTo(new Offloads(true, false, false, 0));
    }

    @Test
    void theHeaderLivesInFrontOfTheFrameInVirtiosLittleEndianLayout() {
        ByteBuf buf = Unpooled.buffer(VirtioNetHeader.LENGTH + 60);
        try {
            buf.writeZero(VirtioNetHeader.LENGTH).readerIndex(VirtioNetHeader.LENGTH).writeZero(60);
            VirtioNetHeader.requestChecksum(buf, 34, 16);
            VirtioNetHeader.requestSegmentation(buf, VirtioNetHeader.GSO_TCPV4, 66, 1448);

            // virtio 1.2 section 5.1.6: flags, gso_type, then hdr_len, gso_size, csum_start, csum_offset (le16).
            assertThat(io.netty.buffer.ByteBufUtil.hexDump(buf, 0, VirtioNetHeader.LENGTH))
                    .isEqualTo("0101" + "4200" + "a805" + "2200" + "1000" + "0000");
            assertThat(VirtioNetHeader.flags(buf)).isEqualTo(VirtioNetHeader.F_NEEDS_CSUM);
            assertThat(VirtioNetHeader.gsoType(buf)).isEqualTo(VirtioNetHeader.GSO_TCPV4);
            assertThat(VirtioNetHeader.gsoSize(buf)).isEqualTo(1448);
            assertThat(VirtioNetHeader.checksumStart(buf)).isEqualTo(34);
            assertThat(VirtioNetHeader.checksumOffset(buf)).isEqualTo(16);
            assertThat(VirtioNetHeader.checksumVouched(buf)).isTrue();
            assertThat(buf.readableBytes()).as("the frame's bytes are the frame alone").isEqualTo(60);

            VirtioNetHeader.clear(buf);
            assertThat(VirtioNetHeader.flags(buf)).isZero();
            assertThat(VirtioNetHeader.checksumVouched(buf)).isFalse();
            buf.setByte(0, VirtioNetHeader.F_DATA_VALID);
            assertThat(VirtioNetHeader.checksumVouched(buf)).isTrue();
        } finally {
            buf.release();
        }
    }
}
