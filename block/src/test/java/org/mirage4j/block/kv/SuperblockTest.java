package org.mirage4j.block.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;
import org.mirage4j.testing.TrackedHeapAllocator;

class SuperblockTest {

    private static Superblock random(Gen gen) {
        int sectorSize = gen.oneOf(512, 4096);
        long sectors = gen.intBetween(10, 1 << 20);
        Geometry g = new Geometry(sectorSize, sectors);
        long end = gen.random().nextLong(g.halfSectors() + 1) * sectorSize;
        return new Superblock(sectorSize, sectors, gen.longValue(), gen.longValue(), gen.intBetween(0, 1), gen.random().nextInt(), end);
    }

    @Property
    void parseReadsWhatEmitWrote(Gen gen) {
        Superblock s = random(gen);
        ByteBuf sector = TrackedHeapAllocator.INSTANCE.heapBuffer(s.sectorSize());
        try {
            s.emit(sector);
            assertThat(sector.readableBytes()).isEqualTo(s.sectorSize());
            assertThat(Superblock.parse(sector)).isEqualTo(new Superblock.Read(Superblock.Status.VALID, s));
        } finally {
            sector.release();
        }
    }

    @Property
    void anyDamageToTheFirstSixtyBytesIsNoticed(Gen gen) {
        Superblock s = random(gen);
        ByteBuf sector = TrackedHeapAllocator.INSTANCE.heapBuffer(s.sectorSize());
        try {
            s.emit(sector);
            int at = gen.intBetween(0, Superblock.LENGTH - 1);
            sector.setByte(at, sector.getByte(at) ^ gen.intBetween(1, 255));
            assertThat(Superblock.parse(sector).status()).isIn(Superblock.Status.DAMAGED, Superblock.Status.TORN);
        } finally {
            sector.release();
        }
    }

    @Property(tries = 50)
    void sectorsOfOtherKindsAreTold(Gen gen) {
        ByteBuf sector = TrackedHeapAllocator.INSTANCE.heapBuffer(512);
        try {
            sector.writeZero(512);
            assertThat(Superblock.parse(sector).status()).isEqualTo(Superblock.Status.EMPTY);
            sector.setByte(510, 0x55).setByte(511, 0xaa); // a partition table's signature
            assertThat(Superblock.parse(sector).status()).isEqualTo(Superblock.Status.FOREIGN);
            sector.setZero(0, 512).setBytes(8, gen.bytes(Superblock.LENGTH - 8));
            assertThat(Superblock.parse(sector).status()).as("no magic, nothing past byte 60: maybe a torn write")
                    .isEqualTo(Superblock.Status.TORN);
        } finally {
            sector.release();
        }
    }
}
