package io.vlsuite.qwen2vl.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options of one command; unknown or valueless flags are usage errors. */
final class FlagArgs {

    private final Map<String, String> values = new HashMap<>();

    private FlagArgs() {
    }

    /** Parses {@code args}; {@code booleanFlags} take no value (their value becomes "true"). */
    static FlagArgs parse(String[] args, Set<String> valueFlags, Set<String> booleanFlags) {
        FlagArgs parsed = new FlagArgs();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new CliUsageException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            if (booleanFlags.contains(name)) {
                parsed.values.put(name, "true");
            } else if (valueFlags.contains(name)) {
                if (i + 1 >= args.length) {
                    throw new CliUsageException("--" + name + " needs a value");
                }
                parsed.values.put(name, args[++i]);
            } else {
                throw new CliUsageException("unknown option --" + name);
            }
        }
        return parsed;
    }

    String require(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new CliUsageException("missing --" + name);
        }
        return v;
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    double getDouble(String name, double fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new CliUsageException("--" + name + " must be a number, got '" + v + "'");
        }
    }
}
