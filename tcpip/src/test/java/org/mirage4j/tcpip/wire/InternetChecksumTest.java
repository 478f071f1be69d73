package org.mirage4j.tcpip.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mirage4j.tcpip.wire.TestBuffers.fromHex;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

class InternetChecksumTest {

    /** RFC 1071 section 3, "Numerical Examples": the sum of these octets is ddf2, so the checksum is 220d. */
    @Test
    void rfc1071Example() {
        ByteBuf buf = fromHex("0001f203f4f5f6f7");
        try {
            assertThat(InternetChecksum.fold(InternetChecksum.add(0, buf, 0, 8))).isEqualTo(0xddf2);
            assertThat(InternetChecksum.compute(buf, 0, 8)).isEqualTo(0x220d);
        } finally {
            buf.release();
        }
    }

    @Test
    void oddLastOctetIsTheHighOctetOfAWord() {
        ByteBuf buf = fromHex("123456");
        try {
            assertThat(InternetChecksum.add(0, buf, 0, 3)).isEqualTo(0x1234 + 0x5600);
        } finally {
            buf.release();
        }
    }

    /**
     * An IPv4 header made with scapy 2.5 (Debian python3-scapy):
     * {@code IP(src="10.0.0.1", dst="10.0.0.2", id=0x4d2, flags="DF", ttl=64, proto=1, len=44)}.
     */
    @Test
    void ipv4HeaderWithItsChecksumSumsToZero() {
        ByteBuf header = fromHex("4500002c04d24000400121fd0a0000010a000002");
        try {
            assertThat(InternetChecksum.compute(header, 0, 20)).isZero();
            header.setShort(10, 0);
            assertThat(InternetChecksum.compute(header, 0, 20)).isEqualTo(0x21fd);
        } finally {
            header.release();
        }
    }

    /** Decrementing the TTL from 64 to 63 as scapy 2.5 computes it anew: checksum 21fd becomes 22fd. */
    @Test
    void incrementalUpdateOfTtl() {
        assertThat(InternetChecksum.update(0x21fd, 0x4001, 0x3f01)).isEqualTo(0x22fd);
    }

    /** The pseudo-header sum equals the sum of the 12 octets RFC 768 lays out. */
    @Test
    void pseudoHeaderIsTheSumOfItsOctets() {
        ByteBuf pseudo = fromHex("0a0000020a0000010011" + "0014");
        try {
            long sum = InternetChecksum.pseudoHeader(
                    Ipv4Address.parse("10.0.0.2"), Ipv4Address.parse("10.0.0.1"), IpProtocol.UDP, 20);
            long octets = InternetChecksum.add(0, pseudo, 0, 12);
            assertThat(InternetChecksum.fold(sum)).isEqualTo(InternetChecksum.fold(octets));
        } finally {
            pseudo.release();
        }
    }

    @Property
    void dataWithItsChecksumFilledInVerifiesToZero(Gen gen) {
        ByteBuf buf = gen.byteBuf(2, 1500);
        try {
            if (buf.readableBytes() % 2 == 1) buf.writeByte(gen.intBetween(0, 255));
            int at = 2 * gen.intBetween(0, buf.readableBytes() / 2 - 1);
            buf.setShort(at, 0);
            buf.setShort(at, InternetChecksum.compute(buf, 0, buf.readableBytes()));
            assertThat(InternetChecksum.compute(buf, 0, buf.readableBytes())).isZero();
        } finally {
            buf.release();
        }
    }

    /**
     * Every buffer kind and offset, odd lengths included, sums as 16-bit words summed one at a time (RFC 1071
     * section 4.1's loop): heap and direct buffers take the view path, composite ones the word-by-word path.
     */
    @Property
    void everyBufferKindSumsAsWordByWordAdditionDoes(Gen gen) {
        byte[] data = gen.bytes(0, 1600);
        int offset = gen.intBetween(0, Math.min(7, data.length));
        long reference = 0;
        for (int i = offset; i < data.length; i += 2) {
            reference += ((data[i] & 0xFF) << 8) | (i + 1 < data.length ? data[i + 1] & 0xFF : 0);
        }
        int cut = gen.intBetween(0, data.length);
        ByteBuf buf = switch (gen.intBetween(0, 2)) {
            case 0 -> io.netty.buffer.Unpooled.wrappedBuffer(data);
            case 1 -> io.netty.buffer.Unpooled.directBuffer(data.length).writeBytes(data);
            default -> io.netty.buffer.Unpooled.wrappedBuffer(
                    io.netty.buffer.Unpooled.copiedBuffer(data, 0, cut), io.netty.buffer.Unpooled.copiedBuffer(data, cut, data.length - cut));
        };
        try {
            assertThat(InternetChecksum.fold(InternetChecksum.add(0, buf, offset, data.length - offset)))
                    .isEqualTo(InternetChecksum.fold(reference));
        } finally {
            buf.release();
        }
    }

    @Property
    void summingInEvenPiecesEqualsSummingTheWhole(Gen gen) {
        ByteBuf buf = gen.byteBuf(0, 600);
        try {
            int length = buf.readableBytes();
            int cut = 2 * gen.intBetween(0, length / 2);
            long pieces = InternetChecksum.add(InternetChecksum.add(0, buf, 0, cut), buf, cut, length - cut);
            long whole = InternetChecksum.add(0, buf, 0, length);
            assertThat(InternetChecksum.fold(pieces)).isEqualTo(InternetChecksum.fold(whole));
        } finally {
            buf.release();
        }
    }

    @Property
    void incrementalUpdateKeepsTheChecksumValid(Gen gen) {
        ByteBuf buf = gen.byteBuf(2, 200);
        try {
            buf.writerIndex(buf.readableBytes() & ~1);
            int length = buf.readableBytes();
            int checksumAt = 2 * gen.intBetween(0, length / 2 - 1);
            buf.setShort(checksumAt, 0);
            buf.setShort(checksumAt, InternetChecksum.compute(buf, 0, length));
            if (length < 4) return; // no other word to change
            int wordAt = 2 * gen.intBetween(0, length / 2 - 1);
            if (wordAt == checksumAt) wordAt = (wordAt + 2) % length;
            int oldWord = buf.getUnsignedShort(wordAt);
            int newWord = gen.intBetween(0, 0xFFFF);
            buf.setShort(wordAt, newWord);
            buf.setShort(checksumAt, InternetChecksum.update(buf.getUnsignedShort(checksumAt), oldWord, newWord));
            assertThat(InternetChecksum.compute(buf, 0, length)).isZero();
        } finally {
            buf.release();
        }
    }
}
