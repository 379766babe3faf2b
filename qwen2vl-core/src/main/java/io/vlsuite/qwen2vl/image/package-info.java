/**
 * Qwen2-VL image preprocessing, numerically aligned with transformers' PIL image processor
 * ({@code Qwen2VLImageProcessorPil}, the path Qwen2-VL was trained with).
 *
 * <p>Pipeline: {@link io.vlsuite.qwen2vl.image.ImageDecoder} (bytes to {@link io.vlsuite.qwen2vl.image.RgbImage},
 * header-checked against {@link io.vlsuite.qwen2vl.image.ImageLimits}) then
 * {@link io.vlsuite.qwen2vl.image.ImageProcessor} ({@link io.vlsuite.qwen2vl.image.SmartResize},
 * {@link io.vlsuite.qwen2vl.image.PillowBicubicResizer}, {@link io.vlsuite.qwen2vl.image.PixelNormalizer},
 * {@link io.vlsuite.qwen2vl.image.PatchFlattener}) producing a {@link io.vlsuite.qwen2vl.image.VisionInput}.
 *
 * <p>Parity with the reference, as tested against the tiny-random golden fixtures and Pillow 12:
 * <ul>
 *   <li>PNG/GIF/BMP/lossless WebP decoding and {@code convert("RGB")} (alpha dropped, grey replicated, palette,
 *       16-bit) are byte-identical; baseline, progressive, grey and plain CMYK JPEGs were identical on every tested
 *       file (the golden {@code jpeg} case included), but JPEG decoders are allowed to differ slightly.</li>
 *   <li>Lossy WebP differs (TwelveMonkeys' VP8 decoder vs libwebp): measured max 62, mean 4.6 levels on a noisy
 *       fixture. CMYK JPEGs with an embedded ICC profile are colour-managed by TwelveMonkeys, while Pillow applies
 *       a naive CMYK-to-RGB formula; such files will differ.</li>
 *   <li>The resize is bit-exact with Pillow's {@code Image.resize(size, BICUBIC)}; pixel values are bit-identical
 *       to the PIL processor (the fast torchvision processor differs by about 1 ulp).</li>
 *   <li>EXIF orientation of JPEGs is applied like transformers' {@code load_image}; qwen-vl-utils v0.0.8 does not
 *       apply it ({@code new ImageDecoder(limits, false)} reproduces that). GIFs decode their first frame at the
 *       frame's own size (Pillow composes it onto the logical screen; identical for ordinary GIFs).</li>
 * </ul>
 */
package io.vlsuite.qwen2vl.image;
