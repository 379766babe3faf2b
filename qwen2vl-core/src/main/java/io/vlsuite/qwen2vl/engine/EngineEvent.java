package io.vlsuite.qwen2vl.engine;

import io.vlsuite.qwen2vl.sampling.SampledToken;

/** What a request's listener receives: one {@link Delta} per generated token, then one {@link Finished}. */
public sealed interface EngineEvent permits EngineEvent.Delta, EngineEvent.Finished {

    String requestId();

    /**
     * One generated token and the text it released. The text may be empty: bytes of an incomplete UTF-8
     * character, special tokens, and text that may begin a stop string are held back until they are known to
     * belong in the output; the last delta of a request releases whatever is held back.
     */
    record Delta(String requestId, String text, SampledToken token) implements EngineEvent {
    }

    /** The end of the request; no event follows. */
    record Finished(String requestId, GenerationResult result) implements EngineEvent {
    }
}
