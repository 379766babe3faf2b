package io.vlsuite.qwen2vl.tokenizer;

/** A [start, end) range of UTF-16 indices in a string. */
public record TextSpan(int start, int end) {
    public TextSpan {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
        }
    }

    boolean overlaps(int otherStart, int otherEnd) {
        return otherStart < end && start < otherEnd;
    }
}
