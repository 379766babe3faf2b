package io.vlsuite.qwen2vl.image;

/** What an image's header declares, read without decoding pixels ({@code width x height} as stored, before EXIF). */
public record ImageHeader(ImageFormat format, int width, int height) {
}
