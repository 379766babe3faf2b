package io.vlsuite.examples;

import java.util.Base64;

/** {@code data:} URLs, the way OpenAI-compatible servers take inline pictures. */
public final class DataUrls {

    private DataUrls() {
    }

    /** A {@code data:image/png;base64,...} URL of PNG bytes. */
    public static String png(byte[] pngBytes) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(pngBytes);
    }
}
