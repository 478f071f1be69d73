package org.mirage4j.block.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;
import org.mirage4j.testing.TrackedHeapAllocator;

class RecordHeaderTest {

    private static RecordHeader random(Gen gen) {
        RecordType type = gen.oneOf(RecordType.values());
        int keyLength = gen.intBetween(1, RecordHeader.MAX_KEY_BYTES);
        long aux = switch (type) {
            case PUT -> gen.intBetween(0, Integer.MAX_VALUE);
            case DELETE -> 0;
            case RENAME -> gen.intBetween(1, RecordHeader.MAX_KEY_BYTES);
        };
        long span = RecordHeader.recordLength(keyLength, aux) + gen.intBetween(0, 511);
        return new RecordHeader(type, keyLength, span & 0xffffffffL, gen.longValue(), gen.longValue(), aux);
    }

    @Property
    void parseReadsWhatEmitWrote(Gen gen) throws LogCorruptException {
        RecordHeader h = random(gen);
        if (h.span() < h.recordLength()) return; // a span past 4 GiB wrapped: not a header the store writes
        ByteBuf buf = TrackedHeapAllocator.INSTANCE.heapBuffer(RecordHeader.LENGTH);
        try {
            h.emit(buf);
            assertThat(buf.readableBytes()).isEqualTo(RecordHeader.LENGTH);
            assertThat(RecordHeader.parse(buf, 0)).isEqualTo(h);
        } finally {
            buf.release();
        }
    }

    @Test
    void impossibleHeadersAreCorruption() {
        assertCorrupt(buf -> buf.setByte(0, 9), "an unknown type");
        assertCorrupt(buf -> buf.setByte(1, 1), "a reserved byte that is not zero");
        assertCorrupt(buf -> buf.setShort(2, 0), "no key");
        assertCorrupt(buf -> buf.setShort(2, RecordHeader.MAX_KEY_BYTES + 1), "an overlong key");
        assertCorrupt(buf -> buf.setInt(4, 10), "a span shorter than the record");
        assertCorrupt(buf -> buf.setByte(0, RecordType.DELETE.code), "a DELETE with a value");
    }

    private static void assertCorrupt(java.util.function.Consumer<ByteBuf> damage, String what) {
        ByteBuf buf = TrackedHeapAllocator.INSTANCE.heapBuffer(RecordHeader.LENGTH);
        try {
            new RecordHeader(RecordType.PUT, 4, 512, 1, 0, 10).emit(buf);
            damage.accept(buf);
            assertThatThrownBy(() -> RecordHeader.parse(buf, 1024)).as(what)
                    .isInstanceOf(LogCorruptException.class).hasMessageContaining("log byte 1024");
        } finally {
            buf.release();
        }
    }
}
