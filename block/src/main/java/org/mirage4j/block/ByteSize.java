package org.mirage4j.block;

import java.util.Locale;

/** Sizes written as people write them: {@code 4096}, {@code 512K}, {@code 64M}, {@code 2G} (powers of 1024). */
public final class ByteSize {

    private ByteSize() {}

    /**
     * The number of bytes {@code text} stands for.
     *
     * @throws IllegalArgumentException whose message says what a size looks like
     */
    public static long parse(String text) {
        String s = text.strip().toUpperCase(Locale.ROOT);
        if (s.endsWith("IB")) s = s.substring(0, s.length() - 2);
        else if (s.endsWith("B")) s = s.substring(0, s.length() - 1);
        int shift = 0;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'K' -> shift = 10;
                case 'M' -> shift = 20;
                case 'G' -> shift = 30;
                case 'T' -> shift = 40;
                default -> shift = -1;
            }
            if (shift >= 0) s = s.substring(0, s.length() - 1);
            else shift = 0;
        }
        try {
            long n = Long.parseLong(s.strip());
            if (n <= 0 || n > (Long.MAX_VALUE >> shift)) throw new NumberFormatException();
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size such as 1048576, 512K, 64M or 2G.");
        }
    }
}
