/**
 * Sampling as vLLM does it: {@link io.vlsuite.qwen2vl.sampling.SamplingParams} (fields, defaults and validation
 * after vLLM/OpenAI), {@link io.vlsuite.qwen2vl.sampling.LogitsProcessors} (min-tokens mask, repetition /
 * frequency / presence penalties, temperature, min-p, top-k, top-p) and
 * {@link io.vlsuite.qwen2vl.sampling.Sampler}, which applies them in vLLM's order, draws from a per-request
 * generator, and reports raw logprobs (log-softmax of the model's logits, vLLM's default) with ranked
 * alternatives.
 */
package io.vlsuite.qwen2vl.sampling;
