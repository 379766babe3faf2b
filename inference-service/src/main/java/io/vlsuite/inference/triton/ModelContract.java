package io.vlsuite.inference.triton;

import io.vlsuite.contracts.triton.DataType;
import io.vlsuite.contracts.triton.ModelConfig;
import io.vlsuite.inference.engine.InferenceException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a served model declares, read from its {@code ModelConfig} at start: input names and wire datatypes,
 * output names, whether shapes carry a batch dimension, whether it streams (decoupled).
 */
public record ModelContract(String name, boolean batchDim, boolean decoupled, Map<String, String> inputs,
                            Set<String> outputs) {

    public static final String MISMATCH = "triton_model_mismatch";

    public static ModelContract of(ModelConfig config) {
        Map<String, String> inputs = new LinkedHashMap<>();
        config.getInputList().forEach(i -> inputs.put(i.getName(), wireType(i.getDataType())));
        Set<String> outputs = config.getOutputList().stream().map(o -> o.getName())
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        return new ModelContract(config.getName(), config.getMaxBatchSize() > 0,
                config.getModelTransactionPolicy().getDecoupled(), inputs, outputs);
    }

    /** Triton's wire datatype of a config type: {@code TYPE_STRING} is {@code BYTES}, the rest drop the prefix. */
    public static String wireType(DataType type) {
        return type == DataType.TYPE_STRING ? "BYTES" : type.name().substring("TYPE_".length());
    }

    /**
     * Fails with a message naming the first missing tensor when the model cannot serve this profile, so a
     * mis-deployed model stops the worker at start instead of failing every job.
     */
    public ModelContract checkAgainst(TritonProfile profile) {
        for (String input : profile.requiredInputs()) {
            if (!inputs.containsKey(input)) {
                throw new InferenceException(MISMATCH, "Triton model '" + name + "' has no input tensor '" + input
                        + "', which profile " + profile.name().toLowerCase() + " needs (the model declares inputs "
                        + inputs.keySet() + ")", false);
            }
        }
        for (String output : profile.requiredOutputs()) {
            if (!outputs.contains(output)) {
                throw new InferenceException(MISMATCH, "Triton model '" + name + "' has no output tensor '" + output
                        + "', which profile " + profile.name().toLowerCase() + " needs (the model declares outputs "
                        + outputs + ")", false);
            }
        }
        if (!decoupled) {
            throw new InferenceException(MISMATCH, "Triton model '" + name + "' is not decoupled "
                    + "(model_transaction_policy.decoupled); streaming over ModelStreamInfer needs it", false);
        }
        return this;
    }

    public boolean declares(String input) {
        return inputs.containsKey(input);
    }

    /** The first of the names the model declares, or null. */
    public String firstDeclared(java.util.List<String> names) {
        return names.stream().filter(inputs::containsKey).findFirst().orElse(null);
    }
}
