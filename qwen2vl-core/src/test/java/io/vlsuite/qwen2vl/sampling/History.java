package io.vlsuite.qwen2vl.sampling;

/** A fixed prompt + output history for sampling tests. */
record History(int[] prompt, int[] output) implements TokenHistory {

    static History of(int[] prompt, int... output) {
        return new History(prompt, output);
    }

    @Override
    public int length() {
        return prompt.length + output.length;
    }

    @Override
    public int promptLength() {
        return prompt.length;
    }

    @Override
    public int tokenAt(int index) {
        return index < prompt.length ? prompt[index] : output[index - prompt.length];
    }
}
