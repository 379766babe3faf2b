package io.vlsuite.inference.triton;

import com.google.protobuf.ByteString;
import io.vlsuite.contracts.triton.InferParameter;
import io.vlsuite.contracts.triton.ModelInferRequest;
import io.vlsuite.contracts.triton.ModelInferResponse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Builds {@link ModelInferRequest}s (and, through {@link Outputs}, responses) the way Triton wants them: every
 * tensor in {@code raw_input_contents} (never mixed with typed contents, and the only form FP16 has), concrete
 * shapes, and the leading batch dimension of 1 when the model has {@code max_batch_size > 0}.
 */
public final class InferRequestBuilder {

    private final ModelInferRequest.Builder request = ModelInferRequest.newBuilder();
    private final boolean batchDim;

    /**
     * @param batchDim prefix every shape with a batch dimension of 1 (models whose config has max_batch_size &gt; 0)
     */
    public InferRequestBuilder(String model, String version, String id, boolean batchDim) {
        request.setModelName(model).setModelVersion(version == null ? "" : version).setId(id);
        this.batchDim = batchDim;
    }

    public InferRequestBuilder parameter(String name, boolean value) {
        request.putParameters(name, InferParameter.newBuilder().setBoolParam(value).build());
        return this;
    }

    public InferRequestBuilder parameter(String name, String value) {
        request.putParameters(name, InferParameter.newBuilder().setStringParam(value).build());
        return this;
    }

    public InferRequestBuilder strings(String name, List<String> values) {
        return add(name, "BYTES", new long[] {values.size()}, BytesTensor.encodeStrings(values));
    }

    public InferRequestBuilder string(String name, String value) {
        return strings(name, List.of(value));
    }

    public InferRequestBuilder int32(String name, int... values) {
        ByteBuffer b = little(values.length * 4);
        b.asIntBuffer().put(values);
        return add(name, "INT32", new long[] {values.length}, ByteString.copyFrom(b));
    }

    public InferRequestBuilder int64Matrix(String name, String datatype, long[] values, int rows, int cols) {
        ByteBuffer b = little(values.length * 8);
        b.asLongBuffer().put(values);
        return add(name, datatype, new long[] {rows, cols}, ByteString.copyFrom(b));
    }

    public InferRequestBuilder uint64(String name, long value) {
        ByteBuffer b = little(8);
        b.putLong(0, value);
        return add(name, "UINT64", new long[] {1}, ByteString.copyFrom(b));
    }

    public InferRequestBuilder fp32(String name, float value) {
        ByteBuffer b = little(4);
        b.putFloat(0, value);
        return add(name, "FP32", new long[] {1}, ByteString.copyFrom(b));
    }

    /** A float matrix as FP32, or narrowed to FP16 when the model declares FP16 (TensorRT-LLM's pixel inputs). */
    public InferRequestBuilder floatMatrix(String name, String datatype, float[] values, int rows, int cols) {
        ByteBuffer b;
        if ("FP16".equals(datatype)) {
            b = little(values.length * 2);
            for (int i = 0; i < values.length; i++) {
                b.putShort(i * 2, Float.floatToFloat16(values[i]));
            }
        } else {
            b = little(values.length * 4);
            b.asFloatBuffer().put(values);
        }
        return add(name, datatype, new long[] {rows, cols}, ByteString.copyFrom(b));
    }

    public InferRequestBuilder bool(String name, boolean value) {
        return add(name, "BOOL", new long[] {1}, ByteString.copyFrom(new byte[] {(byte) (value ? 1 : 0)}));
    }

    private InferRequestBuilder add(String name, String datatype, long[] dims, ByteString raw) {
        var tensor = ModelInferRequest.InferInputTensor.newBuilder().setName(name).setDatatype(datatype);
        if (batchDim) {
            tensor.addShape(1);
        }
        for (long d : dims) {
            tensor.addShape(d);
        }
        request.addInputs(tensor);
        request.addRawInputContents(raw);
        return this;
    }

    public ModelInferRequest build() {
        return request.build();
    }

    static ByteBuffer little(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Response outputs in Triton's form: every output raw, one blob per output. */
    public static final class Outputs {
        private final ModelInferResponse.Builder response;
        private final boolean batchDim;

        public Outputs(ModelInferResponse.Builder response, boolean batchDim) {
            this.response = response;
            this.batchDim = batchDim;
        }

        public Outputs strings(String name, List<String> values) {
            return add(name, "BYTES", values.size(), BytesTensor.encodeStrings(values));
        }

        public Outputs int32(String name, int... values) {
            ByteBuffer b = little(values.length * 4);
            b.asIntBuffer().put(values);
            return add(name, "INT32", values.length, ByteString.copyFrom(b));
        }

        private Outputs add(String name, String datatype, long n, ByteString raw) {
            var tensor = ModelInferResponse.InferOutputTensor.newBuilder().setName(name).setDatatype(datatype);
            if (batchDim) {
                tensor.addShape(1);
            }
            tensor.addShape(n);
            response.addOutputs(tensor);
            response.addRawOutputContents(raw);
            return this;
        }
    }
}
