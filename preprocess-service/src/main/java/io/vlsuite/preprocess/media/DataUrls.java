package io.vlsuite.preprocess.media;

import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * Decodes {@code data:<mime>;base64,<payload>} URLs. Strict: base64 only (standard alphabet, padded, no
 * whitespace), a media type from a short list, and the size checked from the string length <em>before</em>
 * decoding, so an oversized payload never costs a decode. The declared type only gates the door: the decoded bytes
 * are sniffed again like any other media.
 */
final class DataUrls {

    static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/jpg", "image/gif", "image/bmp",
            "image/webp");
    static final Set<String> VIDEO_TYPES = Set.of("video/mp4", "video/quicktime", "video/webm", "video/x-matroska");

    private DataUrls() {
    }

    static boolean isDataUrl(String url) {
        return url.regionMatches(true, 0, "data:", 0, 5);
    }

    /** The decoded bytes of a data URL whose declared type suits {@code kind} ({@code image} or {@code video}). */
    static byte[] decode(String url, String kind, long maxBytes) {
        int comma = url.indexOf(',');
        if (comma < 0) {
            throw invalid("a data URL needs a ',' before its payload");
        }
        String header = url.substring(5, comma).toLowerCase(Locale.ROOT);
        if (!header.endsWith(";base64")) {
            throw invalid("only base64 data URLs are accepted");
        }
        String mime = header.substring(0, header.length() - ";base64".length());
        int parameters = mime.indexOf(';');
        if (parameters >= 0) {
            mime = mime.substring(0, parameters);
        }
        Set<String> allowed = "video".equals(kind) ? VIDEO_TYPES : IMAGE_TYPES;
        if (!allowed.contains(mime)) {
            throw new MediaIntakeException("unsupported_media_type", 415,
                    "data URL type '" + mime + "' is not accepted for " + kind + " parts");
        }
        int payloadLength = url.length() - comma - 1;
        if (payloadLength % 4 != 0) {
            throw invalid("base64 payload length must be a multiple of 4 (padded, no whitespace)");
        }
        long decodedLength = payloadLength / 4L * 3 - padding(url);
        if (decodedLength > maxBytes) {
            throw new MediaIntakeException("media_too_large", 413,
                    "data URL holds " + decodedLength + " bytes, limit " + maxBytes);
        }
        if (decodedLength == 0) {
            throw invalid("the data URL is empty");
        }
        try {
            return Base64.getDecoder().decode(url.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            throw invalid("the data URL is not valid base64: " + e.getMessage());
        }
    }

    private static int padding(String url) {
        int n = 0;
        for (int i = url.length() - 1; i >= 0 && n < 2 && url.charAt(i) == '='; i--) {
            n++;
        }
        return n;
    }

    private static MediaIntakeException invalid(String message) {
        return new MediaIntakeException("invalid_data_url", 400, message);
    }
}
