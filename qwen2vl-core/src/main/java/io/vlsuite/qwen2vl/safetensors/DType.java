package io.vlsuite.qwen2vl.safetensors;

import io.vlsuite.qwen2vl.Qwen2VlException;

/** Element types of the safetensors format, with their size in bytes. */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }

    /** Parses the header spelling ({@code "BF16"}, {@code "F32"}, ...). */
    public static DType parse(String name, String tensorName) {
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new Qwen2VlException("unsupported_dtype",
                    "tensor '" + tensorName + "' has unsupported dtype " + name);
        }
    }
}
