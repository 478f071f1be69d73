package org.mirage4j.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArgumentsTest {

    @Test
    void wordsSplitOnWhiteSpace() {
        assertThat(Arguments.split("  --port=8081   -l tcpip:debug,*:info ")).containsExactly("--port=8081", "-l", "tcpip:debug,*:info");
        assertThat(Arguments.split("")).isEmpty();
        assertThat(Arguments.split(null)).isEmpty();
    }

    @Test
    void quotesKeepWhiteSpaceInsideAWord() {
        assertThat(Arguments.split("--hello='Hello World!' --x=\"a \\\"b\\\"\"")).containsExactly("--hello=Hello World!", "--x=a \"b\"");
        assertThat(Arguments.split("--empty=''")).containsExactly("--empty=");
    }

    @Test
    void anUnclosedQuoteIsOneSentence() {
        assertThatThrownBy(() -> Arguments.split("--hello='Hi")).hasMessage("-Dexec.args has an unclosed ' quote: close it.");
    }
}
