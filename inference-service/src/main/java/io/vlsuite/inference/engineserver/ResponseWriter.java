package io.vlsuite.inference.engineserver;

import io.vlsuite.contracts.triton.InferParameter;
import io.vlsuite.contracts.triton.ModelInferResponse;
import io.vlsuite.contracts.triton.ModelStreamInferResponse;
import io.vlsuite.inference.engine.Completion;
import io.vlsuite.inference.engine.EngineFailure;
import io.vlsuite.inference.engine.TokenDelta;
import io.vlsuite.inference.triton.InferRequestBuilder;

import java.util.List;

import static io.vlsuite.inference.triton.TensorNames.*;

/** Builds the engine server's responses in Triton's form (raw outputs, final flag, in-band errors). */
final class ResponseWriter {

    private final ServedModel model;

    ResponseWriter(ServedModel model) {
        this.model = model;
    }

    /** A streamed piece: the new text and its token ids, not final. */
    ModelInferResponse delta(String id, TokenDelta d) {
        var r = base(id, false);
        new InferRequestBuilder.Outputs(r, model.batchDim()).strings(TEXT_OUTPUT, List.of(d.text()))
                .int32(OUTPUT_IDS, ints(d.tokenIds()));
        return r.build();
    }

    /**
     * The last response: when streaming it carries no new text (the deltas had it all), otherwise the whole
     * output; always the finish reason and token counts.
     */
    ModelInferResponse completion(String id, Completion c, boolean streamed) {
        var r = base(id, true);
        new InferRequestBuilder.Outputs(r, model.batchDim())
                .strings(TEXT_OUTPUT, List.of(streamed ? "" : c.text()))
                .int32(OUTPUT_IDS, streamed ? new int[0] : ints(c.tokenIds()))
                .strings(FINISH_REASON, List.of(c.finishReason().wireName()))
                .int32(NUM_INPUT_TOKENS, c.usage() == null ? 0 : c.usage().promptTokens())
                .int32(NUM_OUTPUT_TOKENS, c.tokenIds().size());
        return r.build();
    }

    /** The empty final response that acknowledges a stop request. */
    ModelInferResponse emptyFinal(String id, String modelName) {
        return base(id, true).setModelName(modelName).build();
    }

    /** Triton's in-band error: only id, model and the final flag survive; the message is "code: text". */
    ModelStreamInferResponse error(String id, String modelName, EngineFailure f) {
        var r = base(id, true).setModelName(modelName)
                .putParameters(RETRYABLE, InferParameter.newBuilder().setBoolParam(f.retryable()).build());
        return ModelStreamInferResponse.newBuilder().setErrorMessage(f.code() + ": " + f.message())
                .setInferResponse(r).build();
    }

    static ModelStreamInferResponse streamed(ModelInferResponse r) {
        return ModelStreamInferResponse.newBuilder().setInferResponse(r).build();
    }

    private ModelInferResponse.Builder base(String id, boolean last) {
        return ModelInferResponse.newBuilder().setModelName(model.name()).setModelVersion("1").setId(id)
                .putParameters(FINAL_RESPONSE, InferParameter.newBuilder().setBoolParam(last).build());
    }

    private static int[] ints(List<Integer> ids) {
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
