package io.vlsuite.preprocess.media;

import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.image.ImageFormat;

import java.nio.charset.StandardCharsets;

/**
 * What bytes really are, from their magic numbers (never from a {@code Content-Type} or file name, which the
 * sender controls). Only formats the pipeline decodes are recognised; everything else, playlists and HTML included,
 * is {@link #UNKNOWN}.
 */
enum SniffedType {
    IMAGE,
    /** ISO base media (MP4, MOV, 3GP): {@code ftyp} box at offset 4. */
    MP4,
    /** Matroska and WebM: the EBML magic. */
    MATROSKA,
    /** An HLS/M3U playlist: text that would make FFmpeg open other files or URLs. */
    PLAYLIST,
    UNKNOWN;

    static SniffedType of(byte[] data) {
        if (isImage(data)) {
            return IMAGE;
        }
        if (data.length >= 12 && data[4] == 'f' && data[5] == 't' && data[6] == 'y' && data[7] == 'p') {
            return MP4;
        }
        if (data.length >= 4 && (data[0] & 0xFF) == 0x1A && (data[1] & 0xFF) == 0x45 && (data[2] & 0xFF) == 0xDF
                && (data[3] & 0xFF) == 0xA3) {
            return MATROSKA;
        }
        String head = new String(data, 0, Math.min(data.length, 64), StandardCharsets.ISO_8859_1).stripLeading();
        if (head.startsWith("\uFEFF")) {
            head = head.substring(1);
        }
        if (head.startsWith("#EXTM3U") || head.startsWith("ffconcat")) {
            return PLAYLIST;
        }
        return UNKNOWN;
    }

    boolean isVideo() {
        return this == MP4 || this == MATROSKA;
    }

    /** The FFmpeg demuxer forced for this container, so FFmpeg never probes for (and picks) another one. */
    String demuxer() {
        return switch (this) {
            case MP4 -> "mov";
            case MATROSKA -> "matroska";
            default -> throw new IllegalStateException(this + " is not a video container");
        };
    }

    private static boolean isImage(byte[] data) {
        try {
            ImageFormat.sniff(data);
            return true;
        } catch (Qwen2VlException e) {
            return false;
        }
    }
}
