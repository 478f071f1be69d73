package org.mirage4j.virtio.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HugePagesTest {

    @Test
    void readsTheHugePageLinesOfMeminfo() {
        String meminfo = """
                MemTotal:         492256 kB
                HugePages_Total:      16
                HugePages_Free:       12
                HugePages_Rsvd:        3
                HugePages_Surp:        0
                Hugepagesize:       2048 kB
                """;
        assertThat(HugePages.MemInfo.parse(meminfo)).isEqualTo(new HugePages.MemInfo(2 * 1024 * 1024, 12, 3));
        assertThat(HugePages.MemInfo.parse("MemTotal: 1 kB\n").hugePageSize()).isZero();
    }

    @Test
    void findsTheHugetlbfsMount() {
        String mounts = """
                proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
                hugetlbfs /dev/hugepages hugetlbfs rw,nosuid,nodev,relatime,pagesize=2M 0 0
                none /mnt/huge\\040two hugetlbfs rw 0 0
                """;
        assertThat(HugePages.hugetlbfsMount(mounts)).contains(Path.of("/dev/hugepages"));
        assertThat(HugePages.hugetlbfsMount("proc /proc proc rw 0 0\n")).isEmpty();
    }
}
