package org.mirage4j.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeTest {

    @Test
    void readsSizesAsPeopleWriteThem() {
        assertThat(ByteSize.parse("4096")).isEqualTo(4096);
        assertThat(ByteSize.parse("512K")).isEqualTo(512 * 1024);
        assertThat(ByteSize.parse("64M")).isEqualTo(64L << 20);
        assertThat(ByteSize.parse(" 2g ")).isEqualTo(2L << 30);
        assertThat(ByteSize.parse("16MiB")).isEqualTo(16L << 20);
        assertThat(ByteSize.parse("1MB")).isEqualTo(1L << 20);
    }

    @Test
    void refusesWhatIsNotASize() {
        for (String bad : new String[] {"", "M", "0", "-1", "lots", "1.5M", "99999999999T"}) {
            assertThatThrownBy(() -> ByteSize.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a size such as");
        }
    }
}
