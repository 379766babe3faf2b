package io.vlsuite.inference.triton;

import io.vlsuite.contracts.triton.InferParameter;
import io.vlsuite.contracts.triton.ModelInferResponse;

import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * What one streamed response carries for its request.
 *
 * @param textBytes       UTF-8 bytes of the new text (raw, because TensorRT-LLM may split a character across
 *                        responses)
 * @param tokenIds        new token ids when the server returns them ({@code output_ids}), else empty
 * @param finishReason    the server's finish reason when it returns one, else null
 * @param numOutputTokens the server's generated-token count when it returns one, else -1
 * @param isFinal         {@code triton_final_response}: nothing more comes for this request
 */
public record ResponsePiece(byte[] textBytes, int[] tokenIds, String finishReason, int numOutputTokens,
                            boolean isFinal) {

    public static ResponsePiece of(ModelInferResponse r) {
        Map<String, Tensor> out = Tensor.of(r);
        var text = new ByteArrayOutputStream();
        Tensor t = out.get(TensorNames.TEXT_OUTPUT);
        if (t != null) {
            t.bytes().forEach(text::writeBytes);
        }
        Tensor ids = out.get(TensorNames.OUTPUT_IDS);
        Tensor reason = out.get(TensorNames.FINISH_REASON);
        Tensor count = out.get(TensorNames.NUM_OUTPUT_TOKENS);
        String finish = reason == null ? null : reason.strings().stream().findFirst().orElse(null);
        return new ResponsePiece(text.toByteArray(), ids == null ? new int[0] : ids.int32s(),
                finish == null || finish.isEmpty() ? null : finish, count == null ? -1 : count.int32(), isFinal(r));
    }

    /** Reads {@code triton_final_response}; a response without it (unary, non-decoupled) is final. */
    public static boolean isFinal(ModelInferResponse r) {
        InferParameter p = r.getParametersMap().get(TensorNames.FINAL_RESPONSE);
        return p == null || p.getBoolParam();
    }
}
