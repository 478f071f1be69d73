package org.mirage4j.boot;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Joins the two places a runtime key can come from on the kvm target into one argument list for
 * the runtime's key parser.
 *
 * <ol>
 *   <li>Words after {@code --} on the kernel command line: the kernel passes them to init, so they
 *       arrive as {@code main}'s arguments already ({@code run.sh -- --port=8081} puts them there).
 *   <li>Words {@code mirage.NAME=VALUE} before {@code --}: the kernel keeps dotted words for itself
 *       (it takes them for module parameters), so they are read from {@code /proc/cmdline} and
 *       become {@code --NAME=VALUE}. This is the form for boot loaders and hypervisors that only
 *       let one add kernel parameters.
 * </ol>
 *
 * A key given both ways takes the value given after {@code --}. Pure: no I/O.
 */
final class RuntimeArguments {

    /** The prefix of a runtime key on the kernel command line, before {@code --}. */
    static final String KERNEL_PREFIX = "mirage.";

    private RuntimeArguments() {}

    /**
     * The arguments for the runtime: keys from the kernel part of {@code procCmdline}, then {@code args}.
     *
     * @param procCmdline the contents of {@code /proc/cmdline}, or empty when it cannot be read
     * @param args {@code main}'s arguments
     */
    static List<String> merge(String procCmdline, List<String> args) {
        Set<String> given = new HashSet<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.length() > 2) given.add(keyName(arg.substring(2)));
        }
        List<String> merged = new ArrayList<>();
        for (String word : kernelWords(procCmdline)) {
            if (word.equals("--")) break; // the rest is init's, already in args
            if (!word.startsWith(KERNEL_PREFIX) || word.length() == KERNEL_PREFIX.length()) continue;
            String key = word.substring(KERNEL_PREFIX.length());
            if (given.contains(keyName(key))) continue;
            merged.add("--" + key);
        }
        merged.addAll(args);
        return List.copyOf(merged);
    }

    private static String keyName(String keyAndValue) {
        int eq = keyAndValue.indexOf('=');
        return eq < 0 ? keyAndValue : keyAndValue.substring(0, eq);
    }

    /**
     * Splits a kernel command line into words as the kernel's {@code next_arg} does: spaces
     * separate words, and double quotes, which are removed, keep spaces inside a word
     * ({@code mirage.motd="hello world"}).
     */
    static List<String> kernelWords(String cmdline) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inQuotes = false;
        boolean inWord = false;
        for (int i = 0; i < cmdline.length(); i++) {
            char c = cmdline.charAt(i);
            if (c == '"') {
                inQuotes = !inQuotes;
                inWord = true;
            } else if (Character.isWhitespace(c) && !inQuotes) {
                if (inWord) words.add(word.toString());
                word.setLength(0);
                inWord = false;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) words.add(word.toString());
        return words;
    }
}
