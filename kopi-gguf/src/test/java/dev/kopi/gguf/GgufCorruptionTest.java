package dev.kopi.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and corrupt GGUF files: each gets a GgufFormatException naming the problem, and nothing else. */
class GgufCorruptionTest {
    static final Path NAME = Path.of("bad.gguf");

    @TempDir
    Path dir;

    /** A valid file with every section: scalar and array metadata (nested too) and three tensors. */
    static byte[] sample(Path dir) throws IOException {
        Path file = dir.resolve("sample.gguf");
        new GgufWriter()
                .putString("general.architecture", "qwen3")
                .putUint32("qwen3.context_length", 40960)
                .putFloat32("qwen3.rope.freq_base", 1e6f)
                .putBool("tokenizer.ggml.add_bos_token", false)
                .putStringArray("tokenizer.ggml.tokens", List.of("!", "\"", "hello", "▁dunia"))
                .putFloat32Array("tokenizer.ggml.scores", new float[] {0, -1, -2, -3})
                .putInt32Array("tokenizer.ggml.token_type", new int[] {1, 1, 1, 1})
                .putArray("nested", GgufValueType.ARRAY, List.of(
                        new GgufWriter.ArrayValue(GgufValueType.STRING, List.of("a", "b")),
                        new GgufWriter.ArrayValue(GgufValueType.INT64, List.of(5L))))
                .addTensor("token_embd.weight", GgmlType.F32, new long[] {8, 4}, new byte[128])
                .addTensor("blk.0.attn_q.weight", GgmlType.Q8_0, new long[] {32, 2}, new byte[68])
                .addTensor("output_norm.weight", GgmlType.F16, new long[] {8}, new byte[16])
                .write(file);
        return Files.readAllBytes(file);
    }

    static GgufFile parse(byte[] bytes) {
        return GgufFile.parse(MemorySegment.ofArray(bytes), NAME);
    }

    static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(byte[] bytes, String message) {
        return assertThatThrownBy(() -> parse(bytes)).isExactlyInstanceOf(GgufFormatException.class)
                .hasMessageStartingWith("bad.gguf: ").hasMessageContaining(message);
    }

    @Test
    void truncationAtEveryByteOfTheHeaderMetadataAndTensorInfosFailsCleanly() throws IOException {
        byte[] valid = sample(dir);
        long dataStart;
        try (GgufFile whole = parse(valid)) {
            dataStart = whole.dataSectionOffset(0);
        }
        for (int length = 0; length < dataStart; length++) {
            byte[] truncated = Arrays.copyOf(valid, length);
            Throwable thrown = catchThrowable(() -> parse(truncated));
            assertThat(thrown).as("truncated to %d bytes", length).isExactlyInstanceOf(GgufFormatException.class);
            assertThat(thrown.getMessage()).as("truncated to %d bytes", length)
                    .containsAnyOf("truncated", "not a GGUF file", "impossible", "past the end of the file");
        }
    }

    @Test
    void truncationInsideTheDataNamesTheTensor() throws IOException {
        byte[] valid = sample(dir);
        try (GgufFile whole = parse(valid)) {
            for (GgufTensor t : whole.tensors()) {
                for (long cut : new long[] {t.fileOffset() + 1, t.fileOffset() + t.byteSize() - 1}) {
                    assertRejected(Arrays.copyOf(valid, (int) cut), "tensor '" + t.name() + "' data ["
                            + t.fileOffset() + ".." + (t.fileOffset() + t.byteSize())
                            + ") lies past the end of the file (size " + cut + ")");
                }
            }
        }
    }

    @Test
    void truncatedFileOnDiskFailsWithThePath() throws IOException {
        byte[] valid = sample(dir);
        Path file = dir.resolve("cut.gguf");
        Files.write(file, Arrays.copyOf(valid, valid.length - 20)); // inside the last tensor, before its padding
        assertThatThrownBy(() -> GgufFile.open(file)).isExactlyInstanceOf(GgufFormatException.class)
                .hasMessageStartingWith(file + ": tensor 'output_norm.weight' data");
        Path empty = Files.createFile(dir.resolve("empty.gguf"));
        assertThatThrownBy(() -> GgufFile.open(empty)).isExactlyInstanceOf(GgufFormatException.class)
                .hasMessageContaining("file truncated: magic at offset 0 needs 4 bytes but only 0 remain");
    }

    @Test
    void badMagicAndVersions() {
        assertRejected("PK\u0003\u0004 zip file....................".getBytes(),
                "not a GGUF file: it starts with 'PK..' (0x504b0304) instead of 'GGUF'");
        assertRejected(new RawGguf().u32(GgufFile.MAGIC).u32(1).u64(0).u64(0).bytes(), "unsupported GGUF version 1");
        assertRejected(new RawGguf().u32(GgufFile.MAGIC).u32(4).u64(0).u64(0).bytes(), "unsupported GGUF version 4");
        assertRejected(new RawGguf().u32(GgufFile.MAGIC).u32(0x03000000).u64(0).u64(0).bytes(), "big-endian");
        try (GgufFile v2 = parse(new RawGguf().u32(GgufFile.MAGIC).u32(2).u64(0).u64(1).kvU32("a", 1).bytes())) {
            assertThat(v2.version()).isEqualTo(2);
            assertThat(v2.metadata().getInt("a")).isEqualTo(1);
        }
    }

    @Test
    void absurdCountsAndLengthsFailBeforeAllocating() {
        assertRejected(RawGguf.header(0, Long.MAX_VALUE).bytes(), "metadata key-value count 9223372036854775807 is impossible");
        assertRejected(RawGguf.header(-1, 0).bytes(), "tensor count 18446744073709551615 is impossible");
        assertRejected(RawGguf.header(1 << 20, 0).zeros(64).bytes(), "tensor count 1048576 is impossible");
        assertRejected(RawGguf.header(0, 1).u64(Long.MAX_VALUE - 3).zeros(16).bytes(),
                "key of metadata entry 0 of 9223372036854775804 bytes");
        assertRejected(RawGguf.header(0, 1).str("k").u32(GgufValueType.STRING.id()).u64(-1).zeros(8).bytes(),
                "value of 'k' of 18446744073709551615 bytes");
        assertRejected(RawGguf.header(0, 1).str("tokens").u32(GgufValueType.ARRAY.id()).u32(GgufValueType.STRING.id())
                .u64(1L << 40).zeros(32).bytes(), "array 'tokens' of 1099511627776 string");
        assertRejected(RawGguf.header(0, 1).str("scores").u32(GgufValueType.ARRAY.id()).u32(GgufValueType.FLOAT32.id())
                .u64(Long.MAX_VALUE / 2).zeros(32).bytes(), "array 'scores' of 4611686018427387903 float32");
        assertRejected(RawGguf.header(1, 0).u64(1L << 62).zeros(16).bytes(), "name of tensor 0 of 4611686018427387904 bytes");
    }

    @Test
    void badTypes() {
        assertRejected(RawGguf.header(0, 1).str("k").u32(13).u32(0).bytes(),
                "metadata key 'k' has unknown GGUF value type id 13");
        assertRejected(RawGguf.header(0, 1).str("k").u32(GgufValueType.ARRAY.id()).u32(99).u64(0).bytes(),
                "metadata key 'k' is an array of unknown GGUF value type id 99");
        assertRejected(RawGguf.header(0, 1).str("").u32(0).u8(0).zeros(8).bytes(), "metadata entry 0 has an empty key");
        assertRejected(RawGguf.header(1, 0).str("t").u32(1).u64(32).u32(4).u64(0).pad(32).zeros(32).bytes(),
                "tensor 't' has unknown ggml tensor type id 4");
        assertRejected(RawGguf.header(1, 0).str("t").u32(1).u64(32).u32(-1).u64(0).pad(32).zeros(32).bytes(),
                "tensor 't' has unknown ggml tensor type id -1");
    }

    @Test
    void deeplyNestedArraysAreRejected() {
        RawGguf raw = RawGguf.header(0, 1).str("deep").u32(GgufValueType.ARRAY.id());
        for (int i = 0; i < 100; i++) {
            raw.u32(GgufValueType.ARRAY.id()).u64(1);
        }
        assertRejected(raw.u32(0).u64(0).bytes(), "metadata key 'deep' nests arrays deeper than 16 levels");
    }

    @Test
    void duplicateKeysAndTensorNames() {
        assertRejected(RawGguf.header(0, 2).kvU32("a.b", 1).kvU32("a.b", 2).bytes(), "duplicate metadata key 'a.b'");
        assertRejected(RawGguf.header(2, 0).tensor("w", GgmlType.F32, 0, 4).tensor("w", GgmlType.F32, 32, 4)
                .pad(32).zeros(64).bytes(), "duplicate tensor name 'w'");
    }

    @Test
    void badDimensions() {
        assertRejected(RawGguf.header(1, 0).tensor("t", GgmlType.F32, 0, 1, 1, 1, 1, 1).pad(32).zeros(32).bytes(),
                "tensor 't' has 5 dimensions; ggml allows at most 4");
        assertRejected(RawGguf.header(1, 0).tensor("t", GgmlType.F32, 0, 1L << 32, 1L << 32).pad(32).bytes(),
                "tensor 't' shape [4294967296, 4294967296] has more than 2^63-1 elements");
        assertRejected(RawGguf.header(1, 0).tensor("t", GgmlType.F32, 0, 1L << 62).pad(32).bytes(),
                "takes more than 2^63-1 bytes");
        assertRejected(RawGguf.header(1, 0).tensor("t", GgmlType.F32, 0, -5).pad(32).bytes(),
                "tensor 't' dimension 0 is 18446744073709551611, more than 2^63-1");
        assertRejected(RawGguf.header(1, 0).tensor("t", GgmlType.Q4_K, 0, 100, 2).pad(32).zeros(1000).bytes(),
                "tensor 't' of type Q4_K has rows of 100 elements, not a multiple of its block size 256");
        // A zero dimension makes an empty tensor, as in ggml, even next to a huge one.
        try (GgufFile empty = parse(RawGguf.header(1, 0).tensor("t", GgmlType.F32, 0, 0, 1L << 62).pad(32).bytes())) {
            assertThat(empty.tensor("t").elementCount()).isZero();
            assertThat(empty.tensor("t").byteSize()).isZero();
        }
    }

    @Test
    void badOffsets() {
        assertRejected(RawGguf.header(1, 0).tensor("blk.0.attn_q.weight", GgmlType.F32, 64, 8).pad(32).zeros(64).bytes(),
                "tensor 'blk.0.attn_q.weight' data [160..192) lies past the end of the file (size 160)");
        assertRejected(RawGguf.header(1, 0).tensor("t", GgmlType.F32, -32, 8).pad(32).zeros(64).bytes(),
                "tensor 't' data offset 18446744073709551584 is not a multiple of the alignment 32");
        assertRejected(RawGguf.header(1, 0).tensor("t", GgmlType.F32, 4, 1).pad(32).zeros(64).bytes(),
                "tensor 't' data offset 4 is not a multiple of the alignment 32");
        assertRejected(RawGguf.header(1, 0).tensor("t", GgmlType.F32, Long.MAX_VALUE - 31, 8).pad(32).bytes(),
                "lies past the end of the file");
        assertRejected(RawGguf.header(2, 0).tensor("a", GgmlType.F32, 0, 16).tensor("b", GgmlType.F32, 32, 16)
                .pad(32).zeros(96).bytes(), "tensor 'b' data [128..192) overlaps tensor 'a' data [96..160)");
        assertRejected(RawGguf.header(1, 0).tensor("t", GgmlType.F32, 0, 1).bytes(),
                "the data section would start at offset 64 but the file has 57 bytes");
    }

    @Test
    void badAlignment() {
        assertRejected(RawGguf.header(0, 1).str("general.alignment").u32(GgufValueType.UINT64.id()).u64(32).bytes(),
                "general.alignment is uint64, expected uint32");
        assertRejected(RawGguf.header(0, 1).kvU32("general.alignment", 48).bytes(),
                "general.alignment 48 is not a power of two");
        assertRejected(RawGguf.header(0, 1).kvU32("general.alignment", 0).bytes(),
                "general.alignment 0 is not a power of two");
        try (GgufFile aligned = parse(RawGguf.header(1, 1).kvU32("general.alignment", 8)
                .tensor("t", GgmlType.F32, 8, 2).pad(8).zeros(16).bytes())) {
            assertThat(aligned.alignment()).isEqualTo(8);
            assertThat(aligned.tensor("t").dataOffset()).isEqualTo(8);
        }
    }
}
