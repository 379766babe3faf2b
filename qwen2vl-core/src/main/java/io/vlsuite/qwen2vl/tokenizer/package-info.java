/**
 * The Qwen2 byte-level BPE tokenizer ({@link io.vlsuite.qwen2vl.tokenizer.Qwen2Tokenizer}), reimplemented from a
 * Hugging Face {@code tokenizer.json} to give the same ids and decoded text as the {@code tokenizers} library.
 * Its {@link io.vlsuite.qwen2vl.tokenizer.TokenDecoder} view serves the engine's streaming detokenizer.
 */
package io.vlsuite.qwen2vl.tokenizer;
