package io.vlsuite.preprocess.support;

/** Fixed secrets of the tests. */
public final class TestSecrets {

    /** {@code whsec_} + base64 of the 32 bytes 0x01..0x20. */
    public static final String WEBHOOK_SECRET = "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";

    private TestSecrets() {
    }
}
