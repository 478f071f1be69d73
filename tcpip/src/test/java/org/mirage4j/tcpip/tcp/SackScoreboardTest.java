package org.mirage4j.tcpip.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirage4j.tcpip.wire.SackBlock;
import org.mirage4j.tcpip.wire.SeqNum;

class SackScoreboardTest {

    private static final SeqNum UNA = new SeqNum(-1000); // the scoreboard straddles the wrap

    private static SackBlock block(int left, int right) {
        return new SackBlock(UNA.plus(left), UNA.plus(right));
    }

    @Test
    void mergesClipsAndForgets() {
        SackScoreboard board = new SackScoreboard();
        SeqNum max = UNA.plus(10_000);
        assertThat(board.add(List.of(block(2000, 3000), block(5000, 6000)), UNA, max)).isTrue();
        assertThat(board.add(List.of(block(2500, 3000)), UNA, max)).as("nothing new").isFalse();
        assertThat(board.add(List.of(block(3000, 5000)), UNA, max)).isTrue();
        assertThat(board.runs()).containsExactly(block(2000, 6000));
        assertThat(board.sackedBytes()).isEqualTo(4000);
        assertThat(board.add(List.of(block(-500, 100), block(9000, 12_000)), UNA, max)).isTrue();
        assertThat(board.runs()).as("clipped to (SND.UNA, SND.MAX]").containsExactly(block(0, 100), block(2000, 6000),
                block(9000, 10_000));
        assertThat(board.add(List.of(block(7000, 6500)), UNA, max)).as("a reversed block is ignored").isFalse();
        board.ackedTo(UNA.plus(2500));
        assertThat(board.runs()).containsExactly(block(2500, 6000), block(9000, 10_000));
        assertThat(board.sackedBytes()).isEqualTo(4500);
        assertThat(board.highestSacked(UNA)).isEqualTo(UNA.plus(10_000));
        assertThat(board.isSacked(UNA.plus(3000))).isTrue();
        assertThat(board.isSacked(UNA.plus(7000))).isFalse();
    }

    /** RFC 6675 section 4: lost once three segments' worth (or three runs) were SACKed above. */
    @Test
    void isLostNeedsThreeSegmentsAbove() {
        SackScoreboard board = new SackScoreboard();
        SeqNum max = UNA.plus(100_000);
        board.add(List.of(block(1000, 3000)), UNA, max);
        assertThat(board.isLost(UNA, 1000)).isFalse();
        board.add(List.of(block(3000, 3001)), UNA, max);
        assertThat(board.isLost(UNA, 1000)).isTrue();
        SackScoreboard runs = new SackScoreboard();
        runs.add(List.of(block(100, 110), block(200, 210), block(300, 310)), UNA, max);
        assertThat(runs.isLost(UNA, 1000)).isTrue();
        assertThat(runs.isLost(UNA.plus(150), 1000)).isFalse();
    }
}
