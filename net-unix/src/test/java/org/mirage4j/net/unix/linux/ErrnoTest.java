package org.mirage4j.net.unix.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ErrnoTest {

    @Test
    void textIsTheCLibrarysDescription() {
        assertThat(Errno.text(Errno.ENOENT)).isNotBlank().isNotEqualTo(Errno.text(Errno.EBUSY));
        if (messagesAreEnglish()) assertThat(Errno.text(Errno.EBUSY)).isEqualTo("Device or resource busy");
    }

    /** Whether the C library speaks English here: the C and POSIX locales, or an English one. */
    private static boolean messagesAreEnglish() {
        String locale = System.getenv("LC_ALL");
        if (locale == null || locale.isEmpty()) locale = System.getenv("LC_MESSAGES");
        if (locale == null || locale.isEmpty()) locale = System.getenv("LANG");
        if (locale == null || locale.isEmpty()) return true;
        return locale.startsWith("C") || locale.startsWith("POSIX") || locale.startsWith("en");
    }

    @Test
    void anExceptionSaysWhatFailedAndHow() {
        ErrnoException e = new ErrnoException(ErrnoException.Call.TUNSETIFF, "attach to tap interface tap0", Errno.EBUSY);
        assertThat(e.call()).isEqualTo(ErrnoException.Call.TUNSETIFF);
        assertThat(e.errno()).isEqualTo(Errno.EBUSY);
        assertThat(e).hasMessage("Could not attach to tap interface tap0: " + Errno.text(Errno.EBUSY) + " (errno 16).");
    }

    @Test
    void checkPassesResultsAndThrowsNegatedErrnos() throws ErrnoException {
        assertThat(ErrnoException.check(42, ErrnoException.Call.OTHER, "x")).isEqualTo(42);
        assertThat(ErrnoException.check(7L, ErrnoException.Call.OTHER, "x")).isEqualTo(7L);
        assertThatThrownBy(() -> ErrnoException.check(-Errno.EAGAIN, ErrnoException.Call.OTHER, "x"))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EAGAIN));
    }
}
