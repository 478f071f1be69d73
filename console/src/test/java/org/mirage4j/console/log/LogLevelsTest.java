package org.mirage4j.console.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

class LogLevelsTest {

    @Test
    void aSourceAndADefault() {
        LogLevels levels = LogLevels.parse("tcp:debug,*:warning");

        assertThat(levels.defaultLevel()).isEqualTo(LogLevel.WARNING);
        assertThat(levels.sources()).containsExactly(Map.entry("tcp", LogLevel.DEBUG));
        assertThat(levels.levelFor("tcp")).isEqualTo(LogLevel.DEBUG);
        assertThat(levels.levelFor("udp")).isEqualTo(LogLevel.WARNING);
    }

    @Test
    void aBareLevelIsTheDefault() {
        assertThat(LogLevels.parse("debug")).isEqualTo(LogLevels.parse("*:debug"));
        assertThat(LogLevels.parse("debug").levelFor("anything.at.all")).isEqualTo(LogLevel.DEBUG);
    }

    @Test
    void theDefaultIsInfoWhenNotGiven() {
        LogLevels levels = LogLevels.parse("tcpip:error");

        assertThat(levels.defaultLevel()).isEqualTo(LogLevel.INFO);
        assertThat(LogLevels.DEFAULT.levelFor("tcpip.socket")).isEqualTo(LogLevel.INFO);
    }

    @Test
    void spacesAndTheCaseOfLevelsDoNotMatter() {
        assertThat(LogLevels.parse(" tcpip : DEBUG , * : Quiet ")).isEqualTo(LogLevels.parse("tcpip:debug,*:quiet"));
    }

    @Test
    void theLastItemForASourceCounts() {
        assertThat(LogLevels.parse("tcp:debug,info,tcp:error,warning")).isEqualTo(LogLevels.parse("tcp:error,*:warning"));
    }

    @Test
    void aSourceCoversItsDottedChildrenAndTheLongestMatchWins() {
        LogLevels levels = LogLevels.parse("tcpip:debug,tcpip.socket:error,tcpip.socket.tcp.timer:quiet,*:warning");

        assertThat(levels.levelFor("tcpip")).isEqualTo(LogLevel.DEBUG);
        assertThat(levels.levelFor("tcpip.arp")).isEqualTo(LogLevel.DEBUG);
        assertThat(levels.levelFor("tcpip.socket")).isEqualTo(LogLevel.ERROR);
        assertThat(levels.levelFor("tcpip.socket.tcp")).isEqualTo(LogLevel.ERROR);
        assertThat(levels.levelFor("tcpip.socket.tcp.timer")).isEqualTo(LogLevel.QUIET);
        assertThat(levels.levelFor("tcpip.socket.tcp.timer.x")).isEqualTo(LogLevel.QUIET);
        // A longer name that only starts with the same letters is not a child.
        assertThat(levels.levelFor("tcpipx")).isEqualTo(LogLevel.WARNING);
        assertThat(levels.levelFor("tcpip.socketx")).isEqualTo(LogLevel.DEBUG);
        assertThat(levels.levelFor("")).isEqualTo(LogLevel.WARNING);
    }

    @Test
    void eachLevelShowsItselfAndWhatIsMoreSevere() {
        assertThat(shown(LogLevel.QUIET)).isEmpty();
        assertThat(shown(LogLevel.ERROR)).containsExactly(Level.ERROR);
        assertThat(shown(LogLevel.WARNING)).containsExactly(Level.WARNING, Level.ERROR);
        assertThat(shown(LogLevel.INFO)).containsExactly(Level.INFO, Level.WARNING, Level.ERROR);
        assertThat(shown(LogLevel.DEBUG)).containsExactly(Level.TRACE, Level.DEBUG, Level.INFO, Level.WARNING, Level.ERROR);
    }

    private static List<Level> shown(LogLevel level) {
        return java.util.Arrays.stream(Level.values()).filter(level::shows).toList();
    }

    @Test
    void formatListsTheSourcesInOrderThenTheDefault() {
        assertThat(LogLevels.parse("udp:error,*:debug,tcp:warning").format()).isEqualTo("tcp:warning,udp:error,*:debug");
        assertThat(LogLevels.parse("debug").format()).isEqualTo("*:debug");
        assertThat(LogLevels.DEFAULT.format()).isEqualTo("*:info");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "verbose", "tcp:verbose", "tcp:", ":debug", "tcp:debug,", ",tcp:debug",
            "tcp:debug,,*:info", "tcp.:info", ".tcp:info", "tcp..ip:info", "tc p:info", "tcp:debug:extra",
            "tcp*:info", "tcp.*:info", "*.tcp:info"})
    void invalidTextIsOneSentenceWithAValidExample(String text) {
        assertThatThrownBy(() -> LogLevels.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Log levels '" + text + "' are not valid at '")
                .hasMessageEndingWith("for example -l tcpip:debug,*:info.")
                .hasMessageNotContaining("\n");
    }

    @Test
    void theErrorNamesTheItemAtFault() {
        assertThatThrownBy(() -> LogLevels.parse("tcp:debug,udp:loud,*:info"))
                .hasMessageStartingWith("Log levels 'tcp:debug,udp:loud,*:info' are not valid at 'udp:loud': ");
    }

    @Test
    void ofRejectsSourcesThatParseWouldReject() {
        assertThatThrownBy(() -> LogLevels.of(LogLevel.INFO, Map.of("*", LogLevel.DEBUG)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'*' is not a log source name: use a dotted name of letters, digits, '_', '-' and '$'"
                        + " such as tcpip.socket.");
    }

    @Property
    void parsesWhatItFormats(Gen gen) {
        LogLevels levels = randomLevels(gen);

        assertThat(LogLevels.parse(levels.format())).isEqualTo(levels);
        assertThat(LogLevels.parse(levels.format()).format()).isEqualTo(levels.format());
    }

    @Property
    void levelForIsTheLevelOfTheNearestNamedAncestor(Gen gen) {
        LogLevels levels = randomLevels(gen);
        String source = randomSource(gen);

        // The reference walks up the dotted parents one by one, as the definition says.
        LogLevel expected = levels.defaultLevel();
        for (String s = source; ; s = s.substring(0, s.lastIndexOf('.'))) {
            if (levels.sources().containsKey(s)) {
                expected = levels.sources().get(s);
                break;
            }
            if (s.indexOf('.') < 0) {
                break;
            }
        }
        assertThat(levels.levelFor(source)).as("level of %s under %s", source, levels).isEqualTo(expected);
    }

    // Few segment names, so that rules and sources often share prefixes.
    private static final List<String> SEGMENTS = List.of("tcpip", "tcp", "t", "socket", "s", "io", "$1", "a-b", "x_y");

    private static String randomSource(Gen gen) {
        return String.join(".", gen.listOf(1, 4, () -> gen.oneOf(SEGMENTS)));
    }

    private static LogLevels randomLevels(Gen gen) {
        Map<String, LogLevel> sources = new HashMap<>();
        for (int i = gen.intBetween(0, 6); i > 0; i--) {
            sources.put(randomSource(gen), gen.oneOf(LogLevel.values()));
        }
        return LogLevels.of(gen.oneOf(LogLevel.values()), sources);
    }
}
