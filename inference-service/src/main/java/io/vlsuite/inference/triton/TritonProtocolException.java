package io.vlsuite.inference.triton;

import io.vlsuite.inference.engine.InferenceException;

/** A message that breaks the Triton wire rules (truncated BYTES element, wrong blob size, missing tensor). */
public class TritonProtocolException extends InferenceException {

    public static final String CODE = "triton_protocol_error";

    public TritonProtocolException(String message) {
        super(CODE, message, false);
    }
}
