package io.vlsuite.qwen2vl.sampling;

/**
 * The tokens of one sequence as the penalties see them: the prompt (vision pads included) followed by the
 * tokens generated so far.
 */
public interface TokenHistory {

    /** Prompt plus generated tokens. */
    int length();

    /** How many of the first tokens are the prompt. */
    int promptLength();

    int tokenAt(int index);

    default int outputLength() {
        return length() - promptLength();
    }
}
