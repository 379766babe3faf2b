package io.vlsuite.preprocess.media;

import java.util.List;

/** Where a media part's bytes come from. */
public sealed interface MediaSource {

    /** {@code image} or {@code video}. */
    String kind();

    /** An {@code http(s)://} or {@code data:} URL from an {@code image_url}/{@code video_url} part. */
    record Url(String kind, String url) implements MediaSource {
    }

    /** A file uploaded earlier with {@code POST /v1/files} (id {@code file-...}). */
    record Upload(String kind, String fileId) implements MediaSource {
    }

    /** A video given as a list of frame URLs (each {@code http(s)} or {@code data:}), as vLLM accepts. */
    record Frames(List<String> frameUrls) implements MediaSource {
        @Override
        public String kind() {
            return "video";
        }
    }
}
