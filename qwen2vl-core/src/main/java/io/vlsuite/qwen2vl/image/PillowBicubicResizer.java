package io.vlsuite.qwen2vl.image;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Bit-exact reimplementation of Pillow's {@code Image.resize(size, BICUBIC)} for 8-bit RGB images (Pillow's
 * {@code libImaging/Resample.c}, default {@code reducing_gap=None}).
 *
 * <p>Why exact: Qwen2-VL's reference preprocessing (qwen-vl-utils and the transformers PIL backend) resizes with
 * Pillow, and the golden fixtures compare the resized uint8 image byte for byte. The algorithm:
 * <ol>
 *   <li>Per axis, a Keys cubic filter ({@code a = -0.5}, support 2) widened by the downscale factor (antialiasing),
 *       evaluated in double at {@code (i + xmin - center + 0.5) / filterscale}, normalised by the tap sum.</li>
 *   <li>Weights converted to 22-bit fixed point, rounding half away from zero.</li>
 *   <li>Horizontal pass first, rounded and clipped to uint8 (only the source rows the vertical pass needs), then
 *       the vertical pass. Each pass runs only if that side changes; same size = copy.</li>
 *   <li>Each output sample = {@code clip8((2^21 + sum(pixel * weight)) >> 22)}.</li>
 * </ol>
 * Everything after the coefficient tables is int arithmetic. Rows are processed in parallel for large images.
 */
public final class PillowBicubicResizer {

    /** Pillow: 8 bits of result, 2 bits of headroom for negative lobes and sums above 1. */
    static final int PRECISION_BITS = 32 - 8 - 2;
    private static final int HALF = 1 << (PRECISION_BITS - 1);
    /** Pillow's rounding constant in both 32-bit lanes of a packed long. */
    private static final long HALF_PAIR = ((long) HALF << 32) + HALF;
    private static final double BICUBIC_SUPPORT = 2.0;
    /** Below this many output samples per pass a parallel split costs more than it saves. */
    private static final long PARALLEL_THRESHOLD = 1L << 18;

    private final boolean parallel;

    /** A resizer that splits large images across the common fork-join pool. */
    public PillowBicubicResizer() {
        this(true);
    }

    public PillowBicubicResizer(boolean parallel) {
        this.parallel = parallel;
    }

    /** Resizes to {@code width x height}; returns the input itself when the size is unchanged (Pillow copies). */
    public RgbImage resize(RgbImage in, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive: " + width + "x" + height);
        }
        boolean needHorizontal = width != in.width();
        boolean needVertical = height != in.height();
        if (!needHorizontal && !needVertical) {
            return in;
        }
        Coefficients vertical = Coefficients.compute(in.height(), height);
        RgbImage current = in;
        int rowOffset = 0;
        if (needHorizontal) {
            // Only the source rows the vertical pass reads, as Pillow does (saves work when shrinking height).
            int firstRow = needVertical ? vertical.bounds[0] : 0;
            int lastRow = needVertical ? vertical.bounds[2 * (height - 1)] + vertical.bounds[2 * (height - 1) + 1] : in.height();
            current = horizontal(in, Coefficients.compute(in.width(), width), firstRow, lastRow - firstRow);
            rowOffset = firstRow;
        }
        if (needVertical) {
            current = vertical(current, vertical, rowOffset, height);
        }
        return current;
    }

    private RgbImage horizontal(RgbImage in, Coefficients c, int firstRow, int rows) {
        byte[] dst = new byte[Math.multiplyExact(Math.multiplyExact(c.outSize, rows), 3)];
        forRowRanges(rows, (long) c.outSize * rows, (from, to) -> horizontalRows(in, c, firstRow, dst, from, to));
        return new RgbImage(c.outSize, rows, dst);
    }

    /**
     * Output rows {@code [from, to)} of the horizontal pass, two rows at a time with two 32-bit lanes per long
     * ("SIMD within a register"): lanes {@code (R0,G0)}, {@code (R1,G1)} and {@code (B0,B1)}, so one 64-bit
     * multiply-add does two of Pillow's int multiply-adds. Exact: the arithmetic is modulo 2^64, and each lane's
     * true sum fits in an int (Pillow's own accumulator guarantee), so {@code low = (int) sum} and
     * {@code high = (sum - low) >> 32} recover both int sums bit for bit, negative weights included.
     */
    private static void horizontalRows(RgbImage in, Coefficients c, int firstRow, byte[] dst, int from, int to) {
        int outW = c.outSize;
        int inW = in.width();
        byte[] src = in.rgb();
        int[] bounds = c.bounds;
        int[] kk = c.fixed;
        int ksize = c.ksize;
        long[] rg0 = new long[inW];
        long[] rg1 = new long[inW];
        long[] bb = new long[inW];
        for (int y = from; y < to; y += 2) {
            boolean pair = y + 1 < to;
            int row0 = (y + firstRow) * inW * 3;
            int row1 = pair ? row0 + inW * 3 : row0; // odd tail: compute the last row twice, keep one
            for (int x = 0, p = row0, q = row1; x < inW; x++, p += 3, q += 3) {
                rg0[x] = (src[p] & 0xFFL) | (src[p + 1] & 0xFFL) << 32;
                rg1[x] = (src[q] & 0xFFL) | (src[q + 1] & 0xFFL) << 32;
                bb[x] = (src[p + 2] & 0xFFL) | (src[q + 2] & 0xFFL) << 32;
            }
            int d0 = y * outW * 3;
            int d1 = d0 + outW * 3;
            for (int x = 0; x < outW; x++) {
                int xmin = bounds[2 * x];
                int taps = bounds[2 * x + 1];
                int kBase = x * ksize;
                long a = HALF_PAIR;
                long b = HALF_PAIR;
                long cc = HALF_PAIR;
                for (int t = 0; t < taps; t++) {
                    long k = kk[kBase + t];
                    a += rg0[xmin + t] * k;
                    b += rg1[xmin + t] * k;
                    cc += bb[xmin + t] * k;
                }
                int o = x * 3;
                int r0 = (int) a;
                int b0 = (int) cc;
                dst[d0 + o] = clip8(r0);
                dst[d0 + o + 1] = clip8((int) ((a - r0) >> 32));
                dst[d0 + o + 2] = clip8(b0);
                if (pair) {
                    int r1 = (int) b;
                    dst[d1 + o] = clip8(r1);
                    dst[d1 + o + 1] = clip8((int) ((b - r1) >> 32));
                    dst[d1 + o + 2] = clip8((int) ((cc - b0) >> 32));
                }
            }
        }
    }

    private RgbImage vertical(RgbImage in, Coefficients c, int rowOffset, int outH) {
        byte[] dst = new byte[Math.multiplyExact(in.width() * 3, outH)];
        forRowRanges(outH, (long) in.width() * outH, (from, to) -> verticalRows(in, c, rowOffset, dst, from, to));
        return new RgbImage(in.width(), outH, dst);
    }

    /** Output rows {@code [from, to)} of the vertical pass. */
    private static void verticalRows(RgbImage in, Coefficients c, int rowOffset, byte[] dst, int from, int to) {
        int rowLen = in.width() * 3;
        byte[] src = in.rgb();
        int[] bounds = c.bounds;
        int[] kk = c.fixed;
        int ksize = c.ksize;
        int[] acc = new int[rowLen];
        for (int y = from; y < to; y++) {
            java.util.Arrays.fill(acc, HALF);
            int ymin = bounds[2 * y] - rowOffset;
            int taps = bounds[2 * y + 1];
            // Tap-major: the inner loop is a straight multiply-add over one row.
            for (int t = 0; t < taps; t++) {
                int k = kk[y * ksize + t];
                int base = (ymin + t) * rowLen;
                for (int i = 0; i < rowLen; i++) {
                    acc[i] += (src[base + i] & 0xFF) * k;
                }
            }
            int o = y * rowLen;
            for (int i = 0; i < rowLen; i++) {
                dst[o + i] = clip8(acc[i]);
            }
        }
    }

    @FunctionalInterface
    private interface RowRange {
        void run(int from, int to);
    }

    /** Runs {@code body} over {@code [0, count)}: in one call, or split into chunks across the common pool. */
    private void forRowRanges(int count, long work, RowRange body) {
        int threads = ForkJoinPool.getCommonPoolParallelism();
        if (!parallel || work < PARALLEL_THRESHOLD || count < 2 || threads < 2) {
            body.run(0, count);
            return;
        }
        // A few chunks per thread balance uneven progress without per-row task overhead.
        int chunks = Math.min(count, threads * 4);
        IntStream.range(0, chunks).parallel().forEach(i -> body.run(
                (int) ((long) count * i / chunks), (int) ((long) count * (i + 1) / chunks)));
    }

    /** Pillow's {@code clip8}: arithmetic shift, then clamp to 0..255. */
    private static byte clip8(int acc) {
        int v = acc >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /** Keys cubic convolution kernel with {@code a = -0.5}, written in Pillow's operation order. */
    static double bicubic(double x) {
        double a = -0.5;
        if (x < 0.0) {
            x = -x;
        }
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    /**
     * Per-output-index source window ({@code bounds[2i]} = first source index, {@code bounds[2i+1]} = tap count)
     * and fixed-point weights ({@code fixed[i*ksize + t]}), as Pillow's {@code precompute_coeffs} followed by
     * {@code normalize_coeffs_8bpc}.
     */
    static final class Coefficients {
        final int outSize;
        final int ksize;
        final int[] bounds;
        final int[] fixed;

        private Coefficients(int outSize, int ksize, int[] bounds, int[] fixed) {
            this.outSize = outSize;
            this.ksize = ksize;
            this.bounds = bounds;
            this.fixed = fixed;
        }

        static Coefficients compute(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterscale = Math.max(scale, 1.0);
            double support = BICUBIC_SUPPORT * filterscale;
            int ksize = (int) Math.ceil(support) * 2 + 1;
            int[] bounds = new int[outSize * 2];
            int[] fixed = new int[Math.multiplyExact(outSize, ksize)];
            double[] w = new double[ksize];
            double ss = 1.0 / filterscale;
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                int xmin = Math.max(0, (int) (center - support + 0.5));
                int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
                double sum = 0.0;
                for (int x = 0; x < xmax; x++) {
                    double v = bicubic((x + xmin - center + 0.5) * ss);
                    w[x] = v;
                    sum += v;
                }
                for (int x = 0; x < xmax; x++) {
                    double k = sum != 0.0 ? w[x] / sum : w[x];
                    // Pillow rounds half away from zero when going to 22-bit fixed point.
                    fixed[xx * ksize + x] = k < 0 ? (int) (-0.5 + k * (1 << PRECISION_BITS))
                            : (int) (0.5 + k * (1 << PRECISION_BITS));
                }
                bounds[2 * xx] = xmin;
                bounds[2 * xx + 1] = xmax;
            }
            return new Coefficients(outSize, ksize, bounds, fixed);
        }
    }
}
