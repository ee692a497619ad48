package dev.kopi.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Split models as llama.cpp's gguf-split writes them (NAME-0000k-of-0000N.gguf, split.* keys), and files past 2 GiB. */
class GgufSplitAndLargeFileTest {
    @TempDir
    Path dir;

    /** Writes a model split in {@code count} shards, tensor {@code i} (F32[4], all elements i) in shard i. */
    private Path writeSplit(int count, int declaredTensors) throws IOException {
        for (int i = 0; i < count; i++) {
            GgufWriter w = new GgufWriter();
            if (i == 0) {
                w.putString("general.architecture", "gemma3");
            }
            w.putUint16(GgufFile.KEY_SPLIT_NO, i).putUint16(GgufFile.KEY_SPLIT_COUNT, count)
                    .putInt32(GgufFile.KEY_SPLIT_TENSORS_COUNT, declaredTensors);
            float value = i;
            w.addTensor("blk." + i + ".weight", GgmlType.F32, new long[] {4}, sink -> {
                for (int k = 0; k < 4; k++) {
                    sink.write(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                            .putFloat(0, value));
                }
            });
            w.write(dir.resolve(String.format("model-%05d-of-%05d.gguf", i + 1, count)));
        }
        return dir.resolve(String.format("model-00001-of-%05d.gguf", count));
    }

    @Test
    void firstShardOpensAllAsOneTensorTable() throws IOException {
        Path first = writeSplit(3, 3);
        try (GgufFile gguf = GgufFile.open(first)) {
            assertThat(gguf.files()).containsExactly(first, dir.resolve("model-00002-of-00003.gguf"),
                    dir.resolve("model-00003-of-00003.gguf"));
            assertThat(gguf.metadata().getString("general.architecture")).isEqualTo("gemma3");
            assertThat(gguf.tensors()).extracting(Tensor::name)
                    .containsExactly("blk.0.weight", "blk.1.weight", "blk.2.weight");
            for (int i = 0; i < 3; i++) {
                GgufTensor t = gguf.tensor("blk." + i + ".weight");
                assertThat(t.shard()).isEqualTo(i);
                assertThat(t.data().get(ByteCursor.F32, 12)).isEqualTo(i);
            }
            assertThat(gguf.shardMetadata(2).getInt(GgufFile.KEY_SPLIT_NO)).isEqualTo(2);
        }
        try (GgufFile fromLast = GgufFile.open(dir.resolve("model-00003-of-00003.gguf"))) {
            assertThat(fromLast.files().getFirst()).isEqualTo(first);
            assertThat(fromLast.tensors()).hasSize(3);
        }
    }

    @Test
    void missingShardIsNamed() throws IOException {
        Path first = writeSplit(3, 3);
        Files.delete(dir.resolve("model-00002-of-00003.gguf"));
        assertThatThrownBy(() -> GgufFile.open(first)).isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("shard 2 of 3 is missing: " + dir.resolve("model-00002-of-00003.gguf"));
    }

    @Test
    void laterShardWithoutTheFirstNamesTheFirst() throws IOException {
        writeSplit(2, 2);
        Files.delete(dir.resolve("model-00001-of-00002.gguf"));
        assertThatThrownBy(() -> GgufFile.open(dir.resolve("model-00002-of-00002.gguf")))
                .isExactlyInstanceOf(GgufFormatException.class)
                .hasMessageContaining("shard 1 of 2 is missing: " + dir.resolve("model-00001-of-00002.gguf"));
    }

    @Test
    void wrongTensorCountIsNamed() throws IOException {
        Path first = writeSplit(2, 5);
        assertThatThrownBy(() -> GgufFile.open(first)).isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("split.tensors.count is 5 but the 2 shards hold 2 tensors");
    }

    @Test
    void shardsOutOfOrderAreRejected() throws IOException {
        Path first = writeSplit(2, 2);
        Path second = dir.resolve("model-00002-of-00002.gguf");
        new GgufWriter().putUint16(GgufFile.KEY_SPLIT_NO, 0).putUint16(GgufFile.KEY_SPLIT_COUNT, 2).write(second);
        assertThatThrownBy(() -> GgufFile.open(first)).isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("split.no is 0, expected 1");
    }

    @Test
    void duplicateTensorAcrossShardsIsRejected() throws IOException {
        Path first = writeSplit(2, 2);
        new GgufWriter().putUint16(GgufFile.KEY_SPLIT_NO, 1).putUint16(GgufFile.KEY_SPLIT_COUNT, 2)
                .addTensor("blk.0.weight", GgmlType.F32, new long[] {1}, new byte[4])
                .write(dir.resolve("model-00002-of-00002.gguf"));
        assertThatThrownBy(() -> GgufFile.open(first)).isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("tensor 'blk.0.weight' is also in shard model-00001-of-00002.gguf");
    }

    @Test
    void splitCountWithoutShardNameIsRejected() throws IOException {
        Path odd = dir.resolve("model.gguf");
        new GgufWriter().putUint16(GgufFile.KEY_SPLIT_NO, 0).putUint16(GgufFile.KEY_SPLIT_COUNT, 2).write(odd);
        assertThatThrownBy(() -> GgufFile.open(odd)).isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("split.count is 2 but the file name does not end in -NNNNN-of-00002.gguf");
    }

    @Test
    void tensorsBeyondTwoGibibytesAreAddressedWithLongOffsets() throws IOException {
        Path file = dir.resolve("big.gguf");
        long big = (3L << 30) + 64; // 3 GiB of I8, written as a sparse hole
        byte[] tail = {1, 2, 3, 4, 5, 6, 7, 8};
        new GgufWriter()
                .addTensor("huge", GgmlType.I8, new long[] {big}, sink -> {
                    sink.writeZeros(big - 1);
                    sink.write(new byte[] {42});
                })
                .addTensor("after", GgmlType.I8, new long[] {8}, tail)
                .write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            GgufTensor huge = gguf.tensor("huge");
            assertThat(huge.byteSize()).isEqualTo(big);
            assertThat(huge.data().get(ValueLayout.JAVA_BYTE, big - 1)).isEqualTo((byte) 42);
            assertThat(huge.data().get(ValueLayout.JAVA_BYTE, 1L << 31)).isZero();
            GgufTensor after = gguf.tensor("after");
            assertThat(after.fileOffset()).isGreaterThan(3L << 30);
            assertThat(after.data().toArray(ValueLayout.JAVA_BYTE)).containsExactly(tail);
        }
    }

    @Test
    void aTwentyGigabyteModelIsWrittenTensorByTensorAndReadBack() throws IOException {
        Path file = dir.resolve("synthetic-21g.gguf");
        long rows = 96 * 1024;
        long rowLength = 32 * 1024; // Q8_0: 34 bytes per 32 elements, so 3.19 GiB per tensor
        int layers = 7;
        GgufWriter writer = new GgufWriter().putString("general.architecture", "synthetic");
        for (int layer = 0; layer < layers; layer++) {
            byte marker = (byte) (layer + 1);
            long bytes = GgmlType.Q8_0.byteSize(rows * rowLength);
            // Each source writes a marker at both ends and leaves the middle as a sparse hole: nothing is held
            // in memory and the 21 GiB take almost no disk.
            writer.addTensor("blk." + layer + ".ffn_up.weight", GgmlType.Q8_0, new long[] {rowLength, rows}, sink -> {
                sink.write(new byte[] {marker});
                sink.writeZeros(bytes - 2);
                sink.write(new byte[] {marker});
            });
        }
        writer.write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(Files.size(file)).isGreaterThan(20L << 30);
            assertThat(gguf.tensors()).hasSize(layers);
            for (int layer = 0; layer < layers; layer++) {
                GgufTensor t = gguf.tensor("blk." + layer + ".ffn_up.weight");
                assertThat(t.byteSize()).isEqualTo(rows * rowLength / 32 * 34);
                assertThat(t.data().get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) (layer + 1));
                assertThat(t.data().get(ValueLayout.JAVA_BYTE, t.byteSize() - 1)).isEqualTo((byte) (layer + 1));
            }
        }
    }
}
