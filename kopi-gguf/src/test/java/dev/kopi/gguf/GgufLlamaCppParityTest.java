package dev.kopi.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.kopi.testkit.Fixtures;

/** Our reader and writer against ggml's own GGUF reader in the prebuilt libggml-base. */
class GgufLlamaCppParityTest {
    @TempDir
    Path dir;

    static Stream<Path> vocabFiles() throws IOException {
        try (Stream<Path> files = Files.list(Fixtures.llamaCppSource().resolve("models"))) {
            List<Path> list = files.filter(p -> p.getFileName().toString().matches("ggml-vocab-.*\\.gguf")).sorted()
                    .toList();
            assertThat(list).hasSizeGreaterThan(10);
            return list.stream();
        }
    }

    @Test
    void ggmlTypeTableMatchesGgml() {
        SoftAssertions soft = new SoftAssertions();
        for (int id = 0; id < 43; id++) {
            long blockSize = GgmlGguf.blockSize(id);
            GgmlType type = null;
            try {
                type = GgmlType.fromId(id);
            } catch (IllegalArgumentException retired) {
                soft.assertThat(blockSize).as("ggml block size of retired id %d", id).isZero();
            }
            if (type != null) {
                soft.assertThat(type.blockSize()).as("%s block size", type).isEqualTo(blockSize);
                soft.assertThat(type.bytesPerBlock()).as("%s bytes per block", type).isEqualTo(GgmlGguf.typeSize(id));
            }
        }
        soft.assertAll();
    }

    @ParameterizedTest
    @MethodSource("vocabFiles")
    void readsLlamaCppVocabFilesAsGgmlDoes(Path file) throws Throwable {
        try (GgufFile ours = GgufFile.open(file); GgmlGguf oracle = GgmlGguf.open(file)) {
            assertThat(oracle).as("ggml opens %s", file).isNotNull();
            assertSame(ours, oracle);
        }
    }

    @Test
    void ggmlReadsWhatWeWrite() throws Throwable {
        Path file = dir.resolve("written.gguf");
        GgufWriter writer = new GgufWriter()
                .putUint8("u8", 200).putInt8("i8", -5).putUint16("u16", 60000).putInt16("i16", -300)
                .putUint32("u32", 3_000_000_000L).putInt32("i32", -7).putFloat32("f32", 0.25f).putBool("b", true)
                .putString("s", "Selamat pagi, dunia").putUint64("u64", -2L).putInt64("i64", -9L)
                .putFloat64("f64", -1e300).putUint32("general.alignment", 64)
                .putStringArray("tokens", List.of("<s>", "▁hello", "ŋ", ""))
                .putFloat32Array("scores", new float[] {-1f, 0.5f})
                .putInt32Array("token_type", new int[] {1, 3})
                .putArray("u16s", GgufValueType.UINT16, List.of(1, 65535));
        List<GgmlType> types = List.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q4_0, GgmlType.Q8_0,
                GgmlType.Q4_K, GgmlType.Q6_K, GgmlType.IQ4_NL, GgmlType.I32, GgmlType.MXFP4);
        for (int i = 0; i < types.size(); i++) {
            GgmlType type = types.get(i);
            long[] ne = i % 2 == 0 ? new long[] {type.blockSize() * 2L, 3} : new long[] {type.blockSize(), 2, 2, 1};
            long bytes = type.byteSize(Stream.of(ne).flatMapToLong(java.util.Arrays::stream).reduce(1, (a, b) -> a * b));
            byte fill = (byte) i;
            writer.addTensor("blk." + i + ".weight", type, ne, sink -> {
                byte[] data = new byte[(int) bytes];
                java.util.Arrays.fill(data, fill);
                sink.write(data);
            });
        }
        writer.write(file);
        try (GgufFile ours = GgufFile.open(file); GgmlGguf oracle = GgmlGguf.open(file)) {
            assertThat(oracle).as("ggml opens our file").isNotNull();
            assertSame(ours, oracle);
            assertThat(ours.alignment()).isEqualTo(64);
            for (GgufTensor t : ours.tensors()) {
                byte expected = (byte) Integer.parseInt(t.name().split("\\.")[1]);
                assertThat(t.data().toArray(ValueLayout.JAVA_BYTE)).containsOnly(expected);
            }
        }
    }

    /** Everything ggml reports about the file equals what we report. */
    private static void assertSame(GgufFile ours, GgmlGguf oracle) throws Throwable {
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(ours.version()).isEqualTo(oracle.version());
        soft.assertThat((long) ours.alignment()).isEqualTo(oracle.alignment());
        soft.assertThat(ours.dataSectionOffset(0)).isEqualTo(oracle.dataOffset());
        GgufMetadata m = ours.metadata();
        soft.assertThat((long) m.size()).isEqualTo(oracle.keyCount());
        List<String> keys = new ArrayList<>(m.keys());
        for (int id = 0; id < Math.min(keys.size(), oracle.keyCount()); id++) {
            String key = keys.get(id);
            soft.assertThat(key).isEqualTo(oracle.key(id));
            GgufValueType type = m.findType(key).orElseThrow();
            soft.assertThat(type.id()).as("type of %s", key).isEqualTo(oracle.type(id));
            if (type != GgufValueType.ARRAY) {
                soft.assertThat(m.get(key)).as("value of %s", key).isEqualTo(oracle.scalar(id, type));
                continue;
            }
            GgufArray array = m.getArray(key);
            soft.assertThat(array.elementType().id()).as("element type of %s", key).isEqualTo(oracle.arrayType(id));
            soft.assertThat(array.length()).as("length of %s", key).isEqualTo(oracle.arrayLength(id));
            if (array.elementType() == GgufValueType.STRING) {
                String[] strings = m.getStringArray(key);
                for (int i = 0; i < strings.length; i++) {
                    if (!strings[i].equals(oracle.arrayString(id, i))) {
                        soft.fail("%s[%d]: %s != %s", key, i, strings[i], oracle.arrayString(id, i));
                        break;
                    }
                }
            } else {
                soft.assertThat(array.toList()).as("elements of %s", key).isEqualTo(oracleArray(oracle, id, array));
            }
        }
        soft.assertThat((long) ours.tensors().size()).isEqualTo(oracle.tensorCount());
        for (int id = 0; id < Math.min(ours.tensors().size(), oracle.tensorCount()); id++) {
            GgufTensor t = ours.tensors().get(id);
            soft.assertThat(t.name()).isEqualTo(oracle.tensorName(id));
            soft.assertThat(t.type().id()).isEqualTo(oracle.tensorType(id));
            soft.assertThat(t.dataOffset()).isEqualTo(oracle.tensorOffset(id));
            soft.assertThat(t.byteSize()).isEqualTo(oracle.tensorSize(id));
            soft.assertThat(new long[] {t.ne(0), t.ne(1), t.ne(2), t.ne(3)}).isEqualTo(oracle.tensorNe(id));
        }
        soft.assertAll();
    }

    private static List<Object> oracleArray(GgmlGguf oracle, long id, GgufArray array) throws Throwable {
        var data = oracle.arrayData(id, array.byteSize());
        List<Object> values = new ArrayList<>();
        for (long i = 0; i < array.length(); i++) {
            values.add(GgufMetadata.readScalar(data, i * array.elementType().fixedSize(), array.elementType()));
        }
        return values;
    }
}
