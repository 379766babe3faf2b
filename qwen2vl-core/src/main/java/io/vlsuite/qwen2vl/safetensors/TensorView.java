package io.vlsuite.qwen2vl.safetensors;

import io.vlsuite.qwen2vl.Qwen2VlException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor of a safetensors file: its dtype, shape and a view of its bytes (usually a slice of the mapped
 * file, so nothing is copied until a conversion method is called).
 */
public record TensorView(String name, DType dtype, long[] shape, MemorySegment data) {

    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble DOUBLE_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return Math.toIntExact(shape[i]);
    }

    /** Converts every element to float32 (a heap copy; use for small tensors and test data only). */
    public float[] toFloatArray() {
        int n = Math.toIntExact(elementCount());
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = getFloat(i);
        }
        return out;
    }

    /** Converts every element of an integer (or float) tensor to long. */
    public long[] toLongArray() {
        int n = Math.toIntExact(elementCount());
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (dtype) {
                case I64 -> data.getAtIndex(LONG_LE, i);
                case I32 -> data.getAtIndex(INT_LE, i);
                case I16 -> data.getAtIndex(SHORT_LE, i);
                case I8 -> data.get(ValueLayout.JAVA_BYTE, i);
                case U8, BOOL -> Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, i));
                default -> (long) getFloat(i);
            };
        }
        return out;
    }

    public int[] toIntArray() {
        return Arrays.stream(toLongArray()).mapToInt(Math::toIntExact).toArray();
    }

    /** Element {@code i} (flat index) as float32. */
    public float getFloat(long i) {
        return switch (dtype) {
            case F32 -> data.getAtIndex(FLOAT_LE, i);
            case BF16 -> Float.intBitsToFloat(data.getAtIndex(SHORT_LE, i) << 16);
            case F16 -> Float.float16ToFloat(data.getAtIndex(SHORT_LE, i));
            case F64 -> (float) data.getAtIndex(DOUBLE_LE, i);
            case I64 -> data.getAtIndex(LONG_LE, i);
            case I32 -> data.getAtIndex(INT_LE, i);
            case I16 -> data.getAtIndex(SHORT_LE, i);
            case I8 -> data.get(ValueLayout.JAVA_BYTE, i);
            case U8, BOOL -> Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, i));
        };
    }

    /** Throws a {@code tensor_shape_mismatch} error unless the shape equals {@code expected}. */
    public TensorView requireShape(long... expected) {
        if (!Arrays.equals(shape, expected)) {
            throw new Qwen2VlException("tensor_shape_mismatch", "tensor '" + name + "' has shape "
                    + Arrays.toString(shape) + ", expected " + Arrays.toString(expected));
        }
        return this;
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
