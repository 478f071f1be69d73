package org.mirage4j.virtio.bus;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.mirage4j.api.DeviceException;
import org.mirage4j.virtio.linux.ErrnoException;
import org.mirage4j.virtio.linux.Mapping;
import org.mirage4j.virtio.linux.NativeFile;
import org.mirage4j.virtio.linux.Pagemap;

/**
 * Huge pages from hugetlbfs as DMA memory: one unlinked file on the hugetlbfs mount (boot mounts
 * it on {@code /dev/hugepages}), each page of it mapped shared, populated and locked, its physical
 * address read from {@code /proc/self/pagemap}. A huge page is physically contiguous and hugetlbfs
 * never swaps or moves it, so the device may keep its address.
 *
 * <p>Pages come from the kernel's pool ({@code hugepages=N} on the kernel command line, which the
 * image builder sets); when the pool is empty, this grows it through
 * {@code /proc/sys/vm/nr_hugepages}, which works early in a VM's life while memory is not yet
 * fragmented. Opened lazily on the first page. Called under {@link PagedDmaMemory}'s lock.
 */
final class HugePages implements PageSource {

    private static final Logger LOG = System.getLogger("virtio.memory");
    private static final Path MOUNTS = Path.of("/proc/mounts");
    private static final Path MEMINFO = Path.of("/proc/meminfo");
    private static final Path NR_HUGEPAGES = Path.of("/proc/sys/vm/nr_hugepages");
    /** How many pages to add to the pool when it is empty. */
    private static final int GROWTH = 4;

    /** Ends the sentence of every error about running out: how to get more pages. */
    static final String HOW_TO_RESERVE = "reserve more with the kernel parameter hugepages=N (the kvm image reserves 16)"
            + " and give the VM the memory for them with run.sh --mem";

    private NativeFile file;
    private long pageSize;
    private int mapped;

    @Override
    public long pageSize() {
        if (pageSize == 0) {
            try {
                pageSize = MemInfo.parse(Files.readString(MEMINFO)).hugePageSize();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + MEMINFO, e);
            }
        }
        return pageSize;
    }

    @Override
    public Page map() throws DeviceException {
        long size = pageSize();
        if (size == 0) throw new DeviceException("The kernel has no huge pages (CONFIG_HUGETLBFS): use a kernel with them for virtio DMA memory.");
        try {
            if (file == null) file = open();
            ensureFreePage();
            Mapping mapping = file.map(mapped * size, size, true);
            mapped++;
            MemorySegment segment = mapping.segment();
            long physical = Pagemap.physicalAddress(segment.address());
            LOG.log(Level.DEBUG, () -> "huge page " + mapped + " at physical 0x" + Long.toHexString(physical));
            return new HugePage(segment, physical);
        } catch (ErrnoException e) {
            if (e.errno() == ErrnoException.ENOMEM) {
                throw new DeviceException("No huge page is free for virtio DMA memory: " + HOW_TO_RESERVE + ".", e);
            }
            throw new DeviceException("Could not map a huge page for virtio DMA memory (" + e.getMessage()
                    + "): run the unikernel as root with hugetlbfs mounted.", e);
        } catch (IOException e) {
            throw new DeviceException("Could not map a huge page for virtio DMA memory (" + e.getMessage() + "); "
                    + HOW_TO_RESERVE + ".", e);
        }
    }

    private record HugePage(MemorySegment segment, long deviceAddress) implements Page {}

    private static NativeFile open() throws IOException {
        Optional<Path> mount = hugetlbfsMount(Files.readString(MOUNTS));
        if (mount.isEmpty()) {
            throw new DeviceException("hugetlbfs is not mounted, and virtio DMA memory lives there: mount it (mount -t"
                    + " hugetlbfs none /dev/hugepages), as the kvm image's boot does.");
        }
        Path path = mount.get().resolve("mirage4j-dma-" + ProcessHandle.current().pid());
        NativeFile file = NativeFile.create(path);
        Files.deleteIfExists(path); // the open file keeps its pages; nothing is left behind when the process ends
        return file;
    }

    /** Grows the pool by {@value #GROWTH} pages when none is free and unreserved; a failure shows at mmap. */
    private static void ensureFreePage() {
        try {
            MemInfo info = MemInfo.parse(Files.readString(MEMINFO));
            if (info.free() - info.reserved() > 0) return;
            long total = Long.parseLong(Files.readString(NR_HUGEPAGES).strip());
            Files.writeString(NR_HUGEPAGES, Long.toString(total + GROWTH));
        } catch (IOException | NumberFormatException e) {
            LOG.log(Level.DEBUG, () -> "could not grow the huge page pool: " + e);
        }
    }

    /** The mount point of the first hugetlbfs in a {@code /proc/mounts} listing. */
    static Optional<Path> hugetlbfsMount(String procMounts) {
        return procMounts.lines().map(l -> l.split(" ")).filter(f -> f.length >= 3 && f[2].equals("hugetlbfs"))
                .map(f -> Path.of(f[1].replace("\\040", " "))).findFirst();
    }

    /**
     * The huge page lines of {@code /proc/meminfo}.
     *
     * @param hugePageSize bytes per huge page, 0 when the kernel has none
     * @param free pages free in the pool ({@code HugePages_Free}), reserved ones included
     * @param reserved free pages promised to mappings already ({@code HugePages_Rsvd})
     */
    record MemInfo(long hugePageSize, long free, long reserved) {
        static MemInfo parse(String meminfo) {
            long size = 0;
            long free = 0;
            long reserved = 0;
            for (String line : meminfo.lines().toList()) {
                String[] f = line.split("\\s+");
                if (f.length < 2) continue;
                switch (f[0]) {
                    case "Hugepagesize:" -> size = Long.parseLong(f[1]) * (f.length > 2 && f[2].equals("kB") ? 1024 : 1);
                    case "HugePages_Free:" -> free = Long.parseLong(f[1]);
                    case "HugePages_Rsvd:" -> reserved = Long.parseLong(f[1]);
                    default -> { }
                }
            }
            return new MemInfo(size, free, reserved);
        }
    }
}
