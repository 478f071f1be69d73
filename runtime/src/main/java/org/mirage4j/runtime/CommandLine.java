package org.mirage4j.runtime;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mirage4j.api.KeyType;
import org.mirage4j.api.RuntimeKey;
import org.mirage4j.console.log.LogLevels;

/**
 * Parses a unikernel's arguments against its declared runtime keys, as MirageOS's command line:
 * {@code --name=value} or {@code --name value}, a bare {@code --flag} for a boolean key,
 * {@code -l tcp:debug,*:info} (or {@code --logs=...}) for log levels, and {@code --help}.
 *
 * @param values every declared key's value, defaults filled in
 * @param logLevels the log levels asked for ({@code *:info} when none)
 * @param help whether {@code --help} was given
 */
public record CommandLine(KeyValues values, LogLevels logLevels, boolean help) {

    /** The key that sets log levels; always present, not declared by applications. */
    public static final RuntimeKey<String> LOGS = RuntimeKey.optional(
            "logs", KeyType.STRING, "*:info",
            "log levels by source, as -l tcpip:debug,*:info (levels: error, warning, info, debug, quiet)");

    /**
     * Parses {@code args}.
     *
     * @throws UsageException for an unknown key, a missing required key or a value that does not parse
     */
    public static CommandLine parse(List<RuntimeKey<?>> keys, List<String> args) throws UsageException {
        Map<String, RuntimeKey<?>> byName = new LinkedHashMap<>();
        for (RuntimeKey<?> key : keys) byName.put(key.name(), key);
        byName.put(LOGS.name(), LOGS);

        Map<String, String> given = new HashMap<>();
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            String name;
            String text;
            if (arg.equals("-l")) {
                if (i + 1 >= args.size()) throw new UsageException("-l needs levels after it, such as -l tcpip:debug,*:info.");
                name = LOGS.name();
                text = args.get(++i);
            } else if (arg.startsWith("--") && arg.length() > 2) {
                int eq = arg.indexOf('=');
                name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
                RuntimeKey<?> key = byName.get(name);
                if (key == null) throw unknown(arg, byName);
                if (eq >= 0) {
                    text = arg.substring(eq + 1);
                } else if (key.type() == KeyType.BOOLEAN) {
                    text = "true";
                } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                    text = args.get(++i);
                } else {
                    throw new UsageException("--" + name + " needs a value, as --" + name + "=" + example(key) + ".");
                }
            } else {
                throw new UsageException("'" + arg + "' is not a key: write keys as --name=value (--help lists them).");
            }
            if (given.put(name, text) != null) {
                throw new UsageException("--" + name + " is given twice; give it once.");
            }
        }

        Map<String, Object> values = new HashMap<>();
        for (RuntimeKey<?> key : byName.values()) {
            String text = given.get(key.name());
            if (text == null) text = key.defaultText().orElse(null);
            if (text == null) {
                if (help) continue; // --help must work without the required keys
                throw new UsageException("--" + key.name() + " is required (" + key.doc() + "): give it as --"
                        + key.name() + "=" + example(key) + ".");
            }
            try {
                values.put(key.name(), key.type().parse(text));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--" + key.name() + "=" + text + " is not valid: " + lowerFirst(e.getMessage()));
            }
        }
        LogLevels levels;
        try {
            levels = LogLevels.parse((String) values.getOrDefault(LOGS.name(), "*:info"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("-l " + given.get(LOGS.name()) + " is not valid: " + lowerFirst(e.getMessage()));
        }
        return new CommandLine(new KeyValues(values), levels, help);
    }

    /** The {@code --help} text: one paragraph per key with its type, default and doc. */
    public static String help(String unikernel, List<RuntimeKey<?>> keys) {
        StringBuilder out = new StringBuilder();
        out.append("Usage: ").append(unikernel).append(" [--key=value ...]\n\n");
        out.append("Runtime keys:\n");
        for (RuntimeKey<?> key : concat(keys, LOGS)) {
            out.append("  --").append(key.name()).append('=').append(key.type().name().toUpperCase(java.util.Locale.ROOT));
            if (key == LOGS) out.append(", -l ").append(key.type().name().toUpperCase(java.util.Locale.ROOT));
            out.append('\n');
            out.append("      ").append(key.doc());
            out.append(key.defaultText().map(d -> " (default: " + (d.isEmpty() ? "\"\"" : d) + ")").orElse(" (required)"));
            out.append('\n');
        }
        out.append("  --help\n      show this help and exit\n");
        return out.toString();
    }

    private static List<RuntimeKey<?>> concat(List<RuntimeKey<?>> keys, RuntimeKey<?> more) {
        var all = new java.util.ArrayList<RuntimeKey<?>>(keys);
        all.add(more);
        return all;
    }

    private static UsageException unknown(String arg, Map<String, RuntimeKey<?>> byName) {
        return new UsageException("Unknown key " + arg.split("=", 2)[0] + ": this unikernel takes "
                + String.join(", ", byName.keySet().stream().map(n -> "--" + n).toList()) + " (see --help).");
    }

    private static String example(RuntimeKey<?> key) {
        return key.defaultText().filter(s -> !s.isEmpty()).orElse(switch (key.type().name()) {
            case "int", "long" -> "8080";
            case "bool" -> "true";
            case "duration" -> "2s";
            case "ipv4-address", "ip-address" -> "10.0.0.2";
            case "ipv4-prefix" -> "10.0.0.2/24";
            case "mac-address" -> "02:00:00:00:00:01";
            default -> "VALUE";
        });
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
