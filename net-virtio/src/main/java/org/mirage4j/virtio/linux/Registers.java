package org.mirage4j.virtio.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Device registers in mapped memory (a PCI BAR, virtio-mmio through {@code /dev/mem}): every access
 * is one volatile load or store of exactly the register's width, which the JIT neither merges,
 * splits, reorders nor hoists out of a loop. Little-endian, as on x86 and as virtio's registers are.
 * Thread-safe as the device is.
 */
public final class Registers {

    private static final VarHandle BYTE = ValueLayout.JAVA_BYTE.varHandle();
    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment segment;

    /** Registers in {@code segment}, at offsets from its start. */
    public Registers(MemorySegment segment) {
        this.segment = segment;
    }

    /** The size of the register window. */
    public long size() {
        return segment.byteSize();
    }

    /** Reads the unsigned {@code width}-byte (1, 2 or 4) register at {@code offset}. */
    public int read(long offset, int width) {
        return switch (width) {
            case 1 -> (byte) BYTE.getVolatile(segment, offset) & 0xff;
            case 2 -> (short) SHORT.getVolatile(segment, offset) & 0xffff;
            case 4 -> (int) INT.getVolatile(segment, offset);
            default -> throw new IllegalArgumentException("width " + width);
        };
    }

    /** Writes the low {@code width} (1, 2 or 4) bytes of {@code value} to the register at {@code offset}. */
    public void write(long offset, int width, int value) {
        switch (width) {
            case 1 -> BYTE.setVolatile(segment, offset, (byte) value);
            case 2 -> SHORT.setVolatile(segment, offset, (short) value);
            case 4 -> INT.setVolatile(segment, offset, value);
            default -> throw new IllegalArgumentException("width " + width);
        }
    }

    /** Reads the 32-bit register at {@code offset}. */
    public int read32(long offset) {
        return (int) INT.getVolatile(segment, offset);
    }

    /** Writes the 32-bit register at {@code offset}. */
    public void write32(long offset, int value) {
        INT.setVolatile(segment, offset, value);
    }
}
