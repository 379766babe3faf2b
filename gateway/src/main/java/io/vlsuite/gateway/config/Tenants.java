package io.vlsuite.gateway.config;

/** What a tenant id may look like: it travels in a header and into metric tags and Redis keys. */
public final class Tenants {

    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    private static final java.util.regex.Pattern COMPILED = java.util.regex.Pattern.compile(PATTERN);

    private Tenants() {
    }

    public static boolean isValid(String tenant) {
        return tenant != null && COMPILED.matcher(tenant).matches();
    }
}
