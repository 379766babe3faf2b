package io.vlsuite.qwen2vl.kernel;

import io.vlsuite.qwen2vl.safetensors.DType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A row-major {@code [rows][cols]} weight matrix read in place from a memory segment (usually the mapped
 * checkpoint). BF16 and F32 are kernel formats; BF16 stays BF16 in memory and is widened to float32 inside the
 * kernels, which halves the bytes streamed per token compared with a float32 copy.
 */
public record WeightMatrix(MemorySegment data, DType dtype, int rows, int cols) {

    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public WeightMatrix {
        if (dtype != DType.BF16 && dtype != DType.F32) {
            throw new IllegalArgumentException("kernel weights must be BF16 or F32, got " + dtype);
        }
        if (data.byteSize() != (long) rows * cols * dtype.byteSize()) {
            throw new IllegalArgumentException("segment of " + data.byteSize() + " bytes for " + rows + "x" + cols
                    + " " + dtype);
        }
    }

    /** A float32 matrix backed by a heap array copy (small tensors, tests). */
    public static WeightMatrix ofFloats(float[] values, int rows, int cols) {
        MemorySegment seg = Arena.ofAuto().allocate((long) values.length * 4, 64);
        MemorySegment.copy(values, 0, seg, FLOAT_LE, 0, values.length);
        return new WeightMatrix(seg, DType.F32, rows, cols);
    }

    public float get(int row, int col) {
        long index = (long) row * cols + col;
        return dtype == DType.BF16
                ? Float.intBitsToFloat(data.getAtIndex(SHORT_LE, index) << 16)
                : data.getAtIndex(FLOAT_LE, index);
    }

    /** Copies row {@code row}, widened to float32, into {@code dst[off..off+cols)}. */
    public void readRow(int row, float[] dst, int off) {
        long base = (long) row * cols;
        if (dtype == DType.F32) {
            MemorySegment.copy(data, FLOAT_LE, base * 4, dst, off, cols);
        } else {
            for (int c = 0; c < cols; c++) {
                dst[off + c] = Float.intBitsToFloat(data.getAtIndex(SHORT_LE, base + c) << 16);
            }
        }
    }

    public long byteSize() {
        return data.byteSize();
    }
}
