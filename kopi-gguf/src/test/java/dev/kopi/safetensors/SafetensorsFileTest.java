package dev.kopi.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kopi.gguf.GgmlType;
import dev.kopi.gguf.Tensor;
import dev.kopi.gguf.TensorFile;

class SafetensorsFileTest {
    @TempDir
    Path dir;

    private Path writeSample(Path file) throws IOException {
        float[] weights = {1, 2, 3, 4, 5, 6};
        new SafetensorsWriter()
                .putMetadata("format", "pt")
                .addTensor("model.embed_tokens.weight", SafetensorsDType.F32, new long[] {2, 3},
                        MemorySegment.ofArray(weights))
                .addTensor("bf16", SafetensorsDType.BF16, new long[] {4}, new byte[8])
                .addTensor("f16", SafetensorsDType.F16, new long[] {1, 1}, new byte[] {0, 0x3C})
                .addTensor("i8", SafetensorsDType.I8, new long[] {3}, new byte[] {-1, 0, 1})
                .addTensor("u8", SafetensorsDType.U8, new long[] {2}, new byte[] {(byte) 200, 7})
                .addTensor("i32", SafetensorsDType.I32, new long[] {1}, new byte[] {5, 0, 0, 0})
                .addTensor("i64", SafetensorsDType.I64, new long[] {1}, new byte[8])
                .addTensor("bool", SafetensorsDType.BOOL, new long[] {2}, new byte[] {1, 0})
                .addTensor("f64", SafetensorsDType.F64, new long[] {}, new byte[8])
                .addTensor("i16", SafetensorsDType.I16, new long[] {2}, new byte[4])
                .addTensor("empty", SafetensorsDType.F32, new long[] {0, 4}, new byte[0])
                .write(file);
        return file;
    }

    /** A file with exactly {@code header} as its JSON header and {@code data} after it. */
    private Path raw(String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        Path file = dir.resolve("raw.safetensors");
        Files.write(file, b.array());
        return file;
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRejected(Path file, String message) {
        return assertThatThrownBy(() -> SafetensorsFile.open(file).close())
                .isExactlyInstanceOf(SafetensorsFormatException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining(message);
    }

    @Test
    void roundTripsEveryDtype() throws IOException {
        Path file = writeSample(dir.resolve("model.safetensors"));
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(headerLength % 8).as("header padded to 8 bytes").isZero();
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.metadata()).containsEntry("format", "pt");
            assertThat(st.tensors()).extracting(Tensor::name).containsExactly("model.embed_tokens.weight", "bf16",
                    "f16", "i8", "u8", "i32", "i64", "bool", "f64", "i16", "empty");
            SafetensorsTensor w = st.tensor("model.embed_tokens.weight");
            assertThat(w.shape()).containsExactly(2, 3);
            assertThat(w.ne()).containsExactly(3, 2);
            assertThat(w.ggmlType()).contains(GgmlType.F32);
            assertThat(w.data().toArray(ValueLayout.JAVA_FLOAT)).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(st.tensor("f16").data().get(ValueLayout.JAVA_SHORT_UNALIGNED, 0)).isEqualTo((short) 0x3C00);
            assertThat(st.tensor("u8").ggmlType()).isEmpty();
            assertThat(st.tensor("u8").typeName()).isEqualTo("U8");
            assertThat(st.tensor("f64").elementCount()).isEqualTo(1);
            assertThat(st.tensor("empty").byteSize()).isZero();
            assertThat(st.tensor("i32").data().get(ValueLayout.JAVA_INT_UNALIGNED, 0)).isEqualTo(5);
            assertThatThrownBy(() -> st.tensor("lm_head.weight")).isInstanceOf(SafetensorsFormatException.class)
                    .hasMessageContaining("no tensor named 'lm_head.weight' (the checkpoint has 11 tensors)");
        }
        try (TensorFile any = TensorFile.open(dir)) {
            assertThat(any).isInstanceOf(SafetensorsFile.class);
            assertThat(any.tensors()).hasSize(11);
        }
    }

    @Test
    void shardedCheckpointOpensThroughIndexOrFolder() throws IOException {
        new SafetensorsWriter().addTensor("a", SafetensorsDType.F32, new long[] {1}, new byte[4])
                .addTensor("b", SafetensorsDType.F32, new long[] {1}, new byte[4])
                .write(dir.resolve("model-00001-of-00002.safetensors"));
        new SafetensorsWriter().addTensor("c", SafetensorsDType.I8, new long[] {1}, new byte[] {9})
                .write(dir.resolve("model-00002-of-00002.safetensors"));
        Path index = dir.resolve("model.safetensors.index.json");
        Files.writeString(index, """
                {"metadata": {"total_size": 9}, "weight_map": {
                  "a": "model-00001-of-00002.safetensors", "c": "model-00002-of-00002.safetensors",
                  "b": "model-00001-of-00002.safetensors"}}""");
        try (SafetensorsFile st = SafetensorsFile.open(dir)) {
            assertThat(st.files()).containsExactly(dir.resolve("model-00001-of-00002.safetensors"),
                    dir.resolve("model-00002-of-00002.safetensors"));
            assertThat(st.tensors()).extracting(Tensor::name).containsExactly("a", "b", "c");
            assertThat(st.tensor("c").data().get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 9);
            assertThat(st.tensor("c").file()).endsWith(Path.of("model-00002-of-00002.safetensors"));
        }

        Files.writeString(index, """
                {"weight_map": {"a": "model-00001-of-00002.safetensors", "c": "model-00003-of-00002.safetensors"}}""");
        assertRejected(index, "shard model-00003-of-00002.safetensors is missing");
        Files.writeString(index, """
                {"weight_map": {"a": "model-00001-of-00002.safetensors", "c": "model-00002-of-00002.safetensors"}}""");
        assertThatThrownBy(() -> SafetensorsFile.open(index)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("tensor 'b' is not mapped to this shard");
        Files.writeString(index, """
                {"weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00001-of-00002.safetensors",
                 "c": "model-00002-of-00002.safetensors", "d": "model-00002-of-00002.safetensors"}}""");
        assertRejected(index, "tensor 'd' is mapped to model-00002-of-00002.safetensors, which does not hold it");
        Files.writeString(index, """
                {"weight_map": {"a": "../etc/passwd"}}""");
        assertRejected(index, "which is not a plain file name beside the index");
        Files.writeString(index, "{\"weight_map\": [1, 2]}");
        assertRejected(index, "index has no \"weight_map\" object");
        Files.writeString(index, "{\"weight_map\": {\"a\": ");
        assertRejected(index, "index is not valid JSON");
    }

    @Test
    void corruptHeaders() throws IOException {
        Files.write(dir.resolve("tiny.safetensors"), new byte[] {1, 2, 3});
        assertRejected(dir.resolve("tiny.safetensors"), "file truncated: 3 bytes, too short for the 8-byte header length");
        Path huge = dir.resolve("huge.safetensors");
        Files.write(huge, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array());
        assertRejected(huge, "header length 18446744073709551615 exceeds the file (size 16)");
        assertRejected(raw("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]", 4),
                "header is not valid JSON");
        assertRejected(raw("[1, 2]", 0), "header is not a JSON object");
        assertRejected(raw("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, "
                + "\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 4), "Duplicate field 'a'");
        assertRejected(raw("{\"a\": {\"dtype\": \"F8_E4M3\", \"shape\": [1], \"data_offsets\": [0, 1]}}", 1),
                "tensor 'a' has unknown or unsupported dtype 'F8_E4M3'");
        assertRejected(raw("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 4]}}", 4),
                "tensor 'a' of shape [2] and dtype F32 takes 8 bytes but its data_offsets [0, 4] span 4");
        assertRejected(raw("{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}", 8),
                "tensor 'a' data_offsets [0, 16] lie past the end of the data section (8 bytes)");
        assertRejected(raw("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 0]}}", 8),
                "data_offsets [4, 0] end before they begin");
        assertRejected(raw("{\"a\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", 4),
                "shape [-1] holds a value that is not a non-negative 64-bit integer");
        assertRejected(raw("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 99999999999999999999]}}", 4),
                "not a non-negative 64-bit integer");
        assertRejected(raw("{\"a\": {\"dtype\": \"U8\", \"shape\": [4294967296, 4294967296], \"data_offsets\": [0, 1]}}", 1),
                "shape [4294967296, 4294967296] is too large");
        assertRejected(raw("{\"a\": {\"dtype\": \"F32\", \"shape\": [1]}}", 4), "tensor 'a' has no valid data_offsets");
        assertRejected(raw("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                + " \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8),
                "tensor 'b' data [4..8) overlaps tensor 'a' [0..8)");
        assertRejected(raw("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8),
                "data bytes [0..4) belong to no tensor");
        assertRejected(raw("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 8),
                "data bytes [4..8) belong to no tensor");
        assertRejected(raw("{\"__metadata__\": {\"format\": 1}}", 0), "__metadata__ value of 'format' is not a string");
        assertRejected(raw("{\"a\": 5}", 0), "tensor 'a' is not a JSON object");
        assertThatThrownBy(() -> SafetensorsFile.open(Files.createDirectory(dir.resolve("nothing"))))
                .isInstanceOf(SafetensorsFormatException.class).hasMessageContaining("folder holds neither");
    }

    @Test
    void truncationAtEveryHeaderByteAndInTheDataFailsCleanly() throws IOException {
        byte[] valid = Files.readAllBytes(writeSample(dir.resolve("model.safetensors")));
        Path cut = dir.resolve("cut.safetensors");
        for (int length = 0; length < valid.length; length++) {
            Files.write(cut, Arrays.copyOf(valid, length));
            Throwable thrown = catchThrowable(() -> SafetensorsFile.open(cut).close());
            assertThat(thrown).as("truncated to %d bytes", length).isExactlyInstanceOf(SafetensorsFormatException.class);
        }
    }

    @Test
    void writerRejectsWrongByteCounts() {
        Path file = dir.resolve("bad.safetensors");
        SafetensorsWriter w = new SafetensorsWriter()
                .addTensor("a", SafetensorsDType.F32, new long[] {2}, new byte[4]);
        assertThatThrownBy(() -> w.write(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tensor 'a' takes 8 bytes but its source wrote only 4");
        assertThat(file).doesNotExist();
        assertThatThrownBy(() -> w.addTensor("a", SafetensorsDType.F32, new long[] {1}, new byte[4]))
                .hasMessageContaining("already used");
    }
}
