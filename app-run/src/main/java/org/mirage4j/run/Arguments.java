package org.mirage4j.run;

import java.util.ArrayList;
import java.util.List;

/** Splits a command line given as one string ({@code -Dexec.args}) into words, as a shell would for quotes. */
final class Arguments {

    private Arguments() {}

    /**
     * Words separated by white space; single or double quotes keep white space inside a word,
     * a backslash keeps the next character as it is.
     *
     * @throws IllegalArgumentException for a quote that is not closed
     */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        if (line == null) return words; // Maven gives an empty parameter as null
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) words.add(word.toString());
                word.setLength(0);
                inWord = false;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("-Dexec.args has an unclosed " + quote + " quote: close it.");
        }
        if (inWord) words.add(word.toString());
        return words;
    }
}
