package io.vlsuite.inference.triton;

import com.google.protobuf.ByteString;
import io.vlsuite.contracts.triton.InferTensorContents;
import io.vlsuite.contracts.triton.ModelInferRequest;
import io.vlsuite.contracts.triton.ModelInferResponse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One named tensor of a request or response, read from whichever form it travelled in: a raw little-endian blob
 * (what Triton always sends back) or typed contents (what simple clients send). Values are read flat, row-major;
 * the shape is kept for checks.
 *
 * @param raw      the raw blob, or null when the tensor came as typed contents
 * @param contents the typed contents, or null when the tensor came raw
 */
public record Tensor(String name, String datatype, List<Long> shape, ByteString raw, InferTensorContents contents) {

    /** A response's outputs by name. */
    public static Map<String, Tensor> of(ModelInferResponse r) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        boolean raw = r.getRawOutputContentsCount() > 0;
        if (raw && r.getRawOutputContentsCount() != r.getOutputsCount()) {
            throw new TritonProtocolException("response has " + r.getOutputsCount() + " outputs but "
                    + r.getRawOutputContentsCount() + " raw_output_contents");
        }
        for (int i = 0; i < r.getOutputsCount(); i++) {
            var o = r.getOutputs(i);
            out.put(o.getName(), new Tensor(o.getName(), o.getDatatype(), o.getShapeList(),
                    raw ? r.getRawOutputContents(i) : null, raw ? null : o.getContents()));
        }
        return out;
    }

    /** A request's inputs by name. */
    public static Map<String, Tensor> of(ModelInferRequest r) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        boolean raw = r.getRawInputContentsCount() > 0;
        if (raw && r.getRawInputContentsCount() != r.getInputsCount()) {
            throw new TritonProtocolException("request has " + r.getInputsCount() + " inputs but "
                    + r.getRawInputContentsCount() + " raw_input_contents");
        }
        for (int i = 0; i < r.getInputsCount(); i++) {
            var in = r.getInputs(i);
            if (raw && in.hasContents()) {
                throw new TritonProtocolException("contents field must not be specified when using raw_input_contents");
            }
            out.put(in.getName(), new Tensor(in.getName(), in.getDatatype(), in.getShapeList(),
                    raw ? r.getRawInputContents(i) : null, raw ? null : in.getContents()));
        }
        return out;
    }

    /** Number of elements the shape describes. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public List<byte[]> bytes() {
        requireType("BYTES");
        if (raw != null) {
            return BytesTensor.decode(raw);
        }
        return contents.getBytesContentsList().stream().map(ByteString::toByteArray).toList();
    }

    public List<String> strings() {
        return bytes().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    /** INT32 (or narrower signed ints in typed contents) as ints. */
    public int[] int32s() {
        requireType("INT32");
        if (raw == null) {
            return contents.getIntContentsList().stream().mapToInt(Integer::intValue).toArray();
        }
        ByteBuffer b = buffer(4);
        int[] out = new int[b.remaining() / 4];
        b.asIntBuffer().get(out);
        return out;
    }

    /** INT64 or UINT64 as longs (UINT64 values above Long.MAX_VALUE come back negative, as Java's unsigned view). */
    public long[] int64s() {
        if (!"INT64".equals(datatype) && !"UINT64".equals(datatype)) {
            throw typeError("INT64 or UINT64");
        }
        if (raw == null) {
            return ("INT64".equals(datatype) ? contents.getInt64ContentsList() : contents.getUint64ContentsList())
                    .stream().mapToLong(Long::longValue).toArray();
        }
        ByteBuffer b = buffer(8);
        long[] out = new long[b.remaining() / 8];
        b.asLongBuffer().get(out);
        return out;
    }

    /** FP32, or FP16 widened, as floats. */
    public float[] floats() {
        if ("FP16".equals(datatype)) {
            if (raw == null) {
                throw new TritonProtocolException("FP16 tensor " + name + " must travel as raw contents");
            }
            ByteBuffer b = buffer(2);
            float[] out = new float[b.remaining() / 2];
            for (int i = 0; i < out.length; i++) {
                out[i] = Float.float16ToFloat(b.getShort());
            }
            return out;
        }
        requireType("FP32");
        if (raw == null) {
            float[] out = new float[contents.getFp32ContentsCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = contents.getFp32Contents(i);
            }
            return out;
        }
        ByteBuffer b = buffer(4);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    public boolean[] bools() {
        requireType("BOOL");
        if (raw == null) {
            boolean[] out = new boolean[contents.getBoolContentsCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = contents.getBoolContents(i);
            }
            return out;
        }
        boolean[] out = new boolean[raw.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = raw.byteAt(i) != 0;
        }
        return out;
    }

    /** The single value of a one-element tensor (any shape such as [1] or [1,1]). */
    public String string() {
        return single(strings());
    }

    public int int32() {
        int[] v = int32s();
        requireOne(v.length);
        return v[0];
    }

    public long int64() {
        long[] v = int64s();
        requireOne(v.length);
        return v[0];
    }

    public float float32() {
        float[] v = floats();
        requireOne(v.length);
        return v[0];
    }

    public boolean bool() {
        boolean[] v = bools();
        requireOne(v.length);
        return v[0];
    }

    private <T> T single(List<T> values) {
        requireOne(values.size());
        return values.getFirst();
    }

    private void requireOne(int n) {
        if (n != 1) {
            throw new TritonProtocolException("tensor " + name + " must hold exactly one element, got " + n);
        }
    }

    private ByteBuffer buffer(int width) {
        if (raw.size() % width != 0) {
            throw new TritonProtocolException("tensor " + name + " (" + datatype + "): " + raw.size()
                    + " raw bytes is not a multiple of " + width);
        }
        return raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private void requireType(String expected) {
        if (!expected.equals(datatype)) {
            throw typeError(expected);
        }
    }

    private TritonProtocolException typeError(String expected) {
        return new TritonProtocolException("tensor " + name + " must be " + expected + ", got " + datatype);
    }
}
