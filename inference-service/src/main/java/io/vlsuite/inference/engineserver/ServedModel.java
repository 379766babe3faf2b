package io.vlsuite.inference.engineserver;

import io.vlsuite.contracts.triton.DataType;
import io.vlsuite.contracts.triton.ModelConfig;
import io.vlsuite.contracts.triton.ModelInput;
import io.vlsuite.contracts.triton.ModelMetadataResponse;
import io.vlsuite.contracts.triton.ModelOutput;
import io.vlsuite.contracts.triton.ModelTransactionPolicy;
import io.vlsuite.inference.triton.ModelContract;

import java.util.ArrayList;
import java.util.List;

import static io.vlsuite.inference.triton.TensorNames.*;

/**
 * The model an engine server presents: TensorRT-LLM's {@code ensemble} tensor names (so a worker with the
 * ensemble profile talks to it unchanged), plus the optional vlsuite inputs that let a Java client send exactly
 * what the embedded engine needs: prompt ids with vision pads expanded, preprocessed pixel values and grids.
 *
 * @param maxBatchSize {@code > 0}: shapes carry a leading batch dimension, as the TensorRT-LLM ensemble's do
 */
public record ServedModel(String name, int maxBatchSize, List<Tensor> inputs, List<Tensor> outputs) {

    /** One declared tensor; dims exclude the batch dimension, -1 is variable. */
    public record Tensor(String name, DataType type, List<Long> dims, boolean optional) {
    }

    public ServedModel {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** The ensemble layout the Java engine server understands. */
    public static ServedModel ensemble(String name) {
        List<Tensor> in = List.of(
                req(TEXT_INPUT, DataType.TYPE_STRING, 1), req(MAX_TOKENS, DataType.TYPE_INT32, 1),
                opt(STREAM, DataType.TYPE_BOOL, 1), opt(TEMPERATURE, DataType.TYPE_FP32, 1),
                opt(TOP_K, DataType.TYPE_INT32, 1), opt(TOP_P, DataType.TYPE_FP32, 1),
                opt(SEED, DataType.TYPE_UINT64, 1), opt(MIN_TOKENS, DataType.TYPE_INT32, 1),
                opt(REPETITION_PENALTY, DataType.TYPE_FP32, 1), opt(PRESENCE_PENALTY, DataType.TYPE_FP32, 1),
                opt(FREQUENCY_PENALTY, DataType.TYPE_FP32, 1), opt(STOP_WORDS, DataType.TYPE_STRING, -1),
                opt(INPUT_IDS, DataType.TYPE_INT32, -1), opt(IMAGE_GRID_THW, DataType.TYPE_INT64, -1, 3),
                new Tensor(IMAGE_INPUT, DataType.TYPE_FP32, List.of(-1L, 1176L), true),
                opt(IGNORE_EOS, DataType.TYPE_BOOL, 1), opt(MIN_P, DataType.TYPE_FP32, 1),
                opt(STOP_TOKEN_IDS, DataType.TYPE_INT32, -1), opt(SKIP_SPECIAL_TOKENS, DataType.TYPE_BOOL, 1),
                opt(STOP, DataType.TYPE_BOOL, 1));
        List<Tensor> out = List.of(
                req(TEXT_OUTPUT, DataType.TYPE_STRING, -1), req(OUTPUT_IDS, DataType.TYPE_INT32, -1),
                req(FINISH_REASON, DataType.TYPE_STRING, -1), req(NUM_INPUT_TOKENS, DataType.TYPE_INT32, 1),
                req(NUM_OUTPUT_TOKENS, DataType.TYPE_INT32, 1));
        return new ServedModel(name, 1, in, out);
    }

    /** The same model without one input (to see how a client copes with a model lacking a tensor). */
    public ServedModel withoutInput(String input) {
        List<Tensor> in = new ArrayList<>(inputs);
        in.removeIf(t -> t.name().equals(input));
        return new ServedModel(name, maxBatchSize, in, outputs);
    }

    public boolean batchDim() {
        return maxBatchSize > 0;
    }

    public boolean declaresInput(String input) {
        return inputs.stream().anyMatch(t -> t.name().equals(input));
    }

    /** The configuration ModelConfig returns: decoupled, because it streams. */
    public ModelConfig config() {
        var c = ModelConfig.newBuilder().setName(name).setBackend("vlsuite-java").setMaxBatchSize(maxBatchSize)
                .setModelTransactionPolicy(ModelTransactionPolicy.newBuilder().setDecoupled(true));
        inputs.forEach(t -> c.addInput(ModelInput.newBuilder().setName(t.name()).setDataType(t.type())
                .addAllDims(t.dims()).setOptional(t.optional())));
        outputs.forEach(t -> c.addOutput(ModelOutput.newBuilder().setName(t.name()).setDataType(t.type())
                .addAllDims(t.dims())));
        return c.build();
    }

    /** ModelMetadata: wire datatypes, shapes with the batch dimension as -1. */
    public ModelMetadataResponse metadata() {
        var m = ModelMetadataResponse.newBuilder().setName(name).addVersions("1").setPlatform("vlsuite-java");
        inputs.forEach(t -> m.addInputs(tensorMetadata(t)));
        outputs.forEach(t -> m.addOutputs(tensorMetadata(t)));
        return m.build();
    }

    private ModelMetadataResponse.TensorMetadata tensorMetadata(Tensor t) {
        var tm = ModelMetadataResponse.TensorMetadata.newBuilder().setName(t.name())
                .setDatatype(ModelContract.wireType(t.type()));
        if (batchDim()) {
            tm.addShape(-1);
        }
        return tm.addAllShape(t.dims()).build();
    }

    private static Tensor req(String name, DataType type, long... dims) {
        return new Tensor(name, type, boxed(dims), false);
    }

    private static Tensor opt(String name, DataType type, long... dims) {
        return new Tensor(name, type, boxed(dims), true);
    }

    private static List<Long> boxed(long[] dims) {
        List<Long> out = new ArrayList<>();
        for (long d : dims) {
            out.add(d);
        }
        return out;
    }
}
