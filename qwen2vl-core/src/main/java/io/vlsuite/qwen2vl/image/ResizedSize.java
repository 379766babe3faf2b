package io.vlsuite.qwen2vl.image;

/** Target size chosen by {@link SmartResize}: both sides are multiples of the resize factor (28). */
public record ResizedSize(int height, int width) {

    public long pixels() {
        return (long) height * width;
    }
}
