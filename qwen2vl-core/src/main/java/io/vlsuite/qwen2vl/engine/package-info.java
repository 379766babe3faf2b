/**
 * The serving engine of the pure-Java Qwen2-VL: vLLM's design (iteration-level continuous batching over a paged
 * KV cache) in plain Java.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link io.vlsuite.qwen2vl.engine.LLMEngine}: what services use. A step loop on its own thread;
 *       {@code submit} (listener or {@link io.vlsuite.qwen2vl.engine.EventStream Flow.Publisher}),
 *       {@code cancel}, {@code generate}, {@code stats}, {@code shutdown}.</li>
 *   <li>{@link io.vlsuite.qwen2vl.engine.EngineCore}: the synchronous core, one {@code step()} at a time
 *       (tests drive it directly): deadlines, schedule, ONE {@link io.vlsuite.qwen2vl.engine.ModelRunner#forward}
 *       for all scheduled chunks, sampling, detokenizing, stop checks, events.</li>
 *   <li>{@code Scheduler}: waiting and running queues ordered by {@link io.vlsuite.qwen2vl.engine.Priority} then
 *       arrival; a token budget per step shared by decodes and prefill chunks (long prompts are prefilled over
 *       several steps); preemption by recompute when the pool is full, and for interactive arrivals.</li>
 *   <li>{@link io.vlsuite.qwen2vl.engine.BlockAllocator}: the pool of fixed-size, reference-counted KV blocks,
 *       sized from a memory budget and {@link io.vlsuite.qwen2vl.engine.ModelRunner#kvBytesPerToken()}. With
 *       prefix caching (on by default) full blocks are registered under a hash of their content (token ids,
 *       M-RoPE positions, vision embeddings, and everything before them) and shared by later requests with the
 *       same prefix; unused cached blocks are evicted oldest first when space is needed. Requests admitted in the
 *       same step do not share (a block is registered only after the step that computed it).</li>
 *   <li>{@link io.vlsuite.qwen2vl.engine.IncrementalDetokenizer} and
 *       {@link io.vlsuite.qwen2vl.engine.StopStringMatcher}: streamed text that never splits a UTF-8 character
 *       and never shows text a stop string later claims.</li>
 * </ul>
 *
 * <h2>Contract with the model</h2>
 * The model implements {@link io.vlsuite.qwen2vl.engine.ModelRunner} and turns a chat into a
 * {@link io.vlsuite.qwen2vl.engine.PreparedPrompt} (expanded ids, M-RoPE positions, vision embeddings,
 * {@code ropeDelta}). The engine cuts {@link io.vlsuite.qwen2vl.engine.SequenceChunk}s from it: prompt tokens
 * carry the prompt's positions and embedding overrides, generated token {@code i} sits at {@code i + ropeDelta}
 * on all three axes (also when recomputed after preemption).
 *
 * <h2>Semantics (as vLLM / OpenAI)</h2>
 * Finish reasons {@code stop} (EOS, stop token id, stop string), {@code length} ({@code max_tokens}, model or
 * pool length), {@code cancelled}, {@code deadline}, {@code error}. The stop string and the terminating token are
 * not in the text; the terminating token is in the ids and counts as a completion token. Special tokens are left
 * out of the text unless {@code skipSpecialTokens} is false. Requests with the same seed produce the same tokens
 * whatever else runs with them.
 */
package io.vlsuite.qwen2vl.engine;
