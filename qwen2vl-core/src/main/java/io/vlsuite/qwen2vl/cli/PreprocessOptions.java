package io.vlsuite.qwen2vl.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options of the preprocessing commands; unknown names and missing values are usage errors. */
final class PreprocessOptions {

    private final Map<String, String> values = new HashMap<>();

    private PreprocessOptions() {
    }

    static PreprocessOptions parse(String[] args, Set<String> allowed) {
        PreprocessOptions o = new PreprocessOptions();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--") || !allowed.contains(name.substring(2))) {
                throw new CliUsageException("unknown option '" + name + "' (allowed: --" + String.join(", --", allowed) + ")");
            }
            if (i + 1 >= args.length) {
                throw new CliUsageException("option " + name + " needs a value");
            }
            o.values.put(name.substring(2), args[++i]);
        }
        return o;
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new CliUsageException("missing --" + name);
        }
        return v;
    }

    String optional(String name) {
        return values.get(name);
    }

    Long optionalLong(String name) {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new CliUsageException("--" + name + " must be an integer, got '" + v + "'");
        }
    }

    int intOr(String name, int fallback) {
        Long v = optionalLong(name);
        return v == null ? fallback : Math.toIntExact(v);
    }
}
