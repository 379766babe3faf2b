package io.vlsuite.qwen2vl.safetensors;

import io.vlsuite.qwen2vl.Qwen2VlException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafeTensorsTest {

    @TempDir
    Path dir;

    @Test
    void writtenTensorsReadBackWithShapeAndValues() throws IOException {
        Path file = dir.resolve("t.safetensors");
        new SafeTensorsWriter().addF32("a", new float[] {1f, -2.5f, 3f, 4f, 5f, 6f}, 2, 3)
                .addF32("b", new float[] {7f}, 1).write(file);
        SafeTensorsFile st = SafeTensorsFile.open(file);
        TensorView a = st.get("a");
        assertThat(a.dtype()).isEqualTo(DType.F32);
        assertThat(a.shape()).containsExactly(2, 3);
        assertThat(a.toFloatArray()).containsExactly(1f, -2.5f, 3f, 4f, 5f, 6f);
        assertThat(st.get("b").toFloatArray()).containsExactly(7f);
    }

    @Test
    void shardedFolderIsResolvedThroughTheIndex() throws IOException {
        new SafeTensorsWriter().addF32("x.weight", new float[] {1f, 2f}, 2).write(dir.resolve("s1.safetensors"));
        new SafeTensorsWriter().addF32("y.weight", new float[] {3f}, 1).write(dir.resolve("s2.safetensors"));
        Files.writeString(dir.resolve(SafeTensorsCheckpoint.INDEX_FILE),
                "{\"metadata\":{},\"weight_map\":{\"x.weight\":\"s1.safetensors\",\"y.weight\":\"s2.safetensors\"}}");
        SafeTensorsCheckpoint ckpt = SafeTensorsCheckpoint.open(dir);
        assertThat(ckpt.tensors()).containsOnlyKeys("x.weight", "y.weight");
        assertThat(ckpt.find("y.weight").orElseThrow().toFloatArray()).containsExactly(3f);
    }

    @Test
    void bf16TensorsOfTheTinyModelDecode() throws Exception {
        Path model = Path.of(getClass().getResource("/tiny-random/model.safetensors").toURI());
        TensorView norm = SafeTensorsFile.open(model).get("model.norm.weight");
        assertThat(norm.dtype()).isEqualTo(DType.BF16);
        assertThat(norm.shape()).containsExactly(64);
        float[] values = norm.toFloatArray();
        for (int i = 0; i < values.length; i++) {
            // BF16 widening is exact: the low 16 bits of every float are zero.
            assertThat(Float.floatToIntBits(values[i]) & 0xFFFF).isZero();
            assertThat(values[i]).isEqualTo(norm.getFloat(i));
        }
        assertThat(values).isNotEqualTo(new float[64]);
    }

    /** Offsets past 2 GiB (a sparse file: no disk space used) are read through the 64-bit memory segment. */
    @Test
    void tensorsBeyondTwoGigabytesAreMapped() throws IOException {
        Path file = dir.resolve("big.safetensors");
        long gap = (1L << 31) + 4096;
        String header = "{\"pad\":{\"dtype\":\"U8\",\"shape\":[" + gap + "],\"data_offsets\":[0," + gap + "]},"
                + "\"far\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + gap + "," + (gap + 8) + "]}}";
        byte[] headerBytes = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raf.write(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putLong(headerBytes.length).array());
            raf.write(headerBytes);
            raf.seek(8 + headerBytes.length + gap);
            raf.write(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putFloat(1.5f).putFloat(-2f).array());
        }
        TensorView far = SafeTensorsFile.open(file).get("far");
        assertThat(far.toFloatArray()).containsExactly(1.5f, -2f);
    }

    @Test
    void truncatedFileIsRejectedWithACode() throws IOException {
        Path file = dir.resolve("bad.safetensors");
        new SafeTensorsWriter().addF32("a", new float[] {1f, 2f, 3f, 4f}, 4).write(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        assertThatThrownBy(() -> SafeTensorsFile.open(file))
                .isInstanceOf(Qwen2VlException.class)
                .satisfies(e -> assertThat(((Qwen2VlException) e).code()).isEqualTo("invalid_safetensors"));
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        Path file = dir.resolve("t.safetensors");
        new SafeTensorsWriter().addF32("a", new float[] {1f}, 1).write(file);
        assertThatThrownBy(() -> SafeTensorsFile.open(file).get("nope"))
                .isInstanceOf(Qwen2VlException.class).hasMessageContaining("'nope'");
    }
}
