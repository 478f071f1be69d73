package org.mirage4j.virtio.pci;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds PCI configuration spaces with capability lists, as QEMU's virtio-pci devices have them. */
final class FakeConfigSpace {

    private final ByteBuffer bytes = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
    private int last = -1;

    FakeConfigSpace(int vendor, int device) {
        bytes.putShort(0x00, (short) vendor).putShort(0x02, (short) device);
    }

    /** QEMU's modern virtio-net-pci: the four windows in BAR 4, notify multiplier 4, an MSI-X capability among them. */
    static FakeConfigSpace qemuModernNet() {
        return new FakeConfigSpace(0x1af4, 0x1000)
                .capability(0x98, 0x11, new byte[10]) // MSI-X, not ours
                .virtio(0x84, VirtioPciLayout.COMMON_CFG, 4, 0x0000, 0x1000, -1)
                .virtio(0x70, VirtioPciLayout.ISR_CFG, 4, 0x1000, 0x1000, -1)
                .virtio(0x60, VirtioPciLayout.DEVICE_CFG, 4, 0x2000, 0x1000, -1)
                .virtio(0x48, VirtioPciLayout.NOTIFY_CFG, 4, 0x3000, 0x1000, 4)
                .virtio(0xa8, 5, 0, 0, 0, -1); // PCI configuration access
    }

    /** Appends a vendor-specific virtio capability at {@code at}; {@code multiplier} ≥ 0 makes it 20 bytes long. */
    FakeConfigSpace virtio(int at, int type, int bar, int offset, int length, int multiplier) {
        int size = multiplier >= 0 ? 20 : 16;
        byte[] body = new byte[size - 2];
        ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) size).put(1, (byte) type).put(2, (byte) bar).putInt(6, offset).putInt(10, length);
        if (multiplier >= 0) b.putInt(14, multiplier);
        return capability(at, 0x09, body);
    }

    /** Appends a capability with id {@code id} and the bytes after its next pointer. */
    FakeConfigSpace capability(int at, int id, byte[] body) {
        bytes.put(at, (byte) id);
        bytes.put(at + 1, (byte) 0);
        bytes.put(at + 2, body, 0, body.length);
        if (last < 0) {
            bytes.put(0x34, (byte) at);
            bytes.putShort(0x06, (short) 0x10);
        } else {
            bytes.put(last + 1, (byte) at);
        }
        last = at;
        return this;
    }

    /** Points the last capability back at {@code at}, making a loop. */
    FakeConfigSpace loopTo(int at) {
        bytes.put(last + 1, (byte) at);
        return this;
    }

    byte[] bytes() {
        return bytes.array().clone();
    }
}
