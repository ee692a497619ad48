package dev.kopi.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void everyValueTypeRoundTrips() throws IOException {
        Path file = dir.resolve("values.gguf");
        new GgufWriter()
                .putUint8("u8", 255)
                .putInt8("i8", -128)
                .putUint16("u16", 65535)
                .putInt16("i16", -32768)
                .putUint32("u32", 4_294_967_295L)
                .putInt32("i32", Integer.MIN_VALUE)
                .putFloat32("f32", 1.5f)
                .putBool("bool", true)
                .putString("str", "Sama-sama 🙏 ありがとう")
                .putUint64("u64", -1L)
                .putInt64("i64", Long.MIN_VALUE)
                .putFloat64("f64", Math.PI)
                .putStringArray("tokens", List.of("a", "", "ŋ", "<0x0A>"))
                .putFloat32Array("scores", new float[] {0f, -1.25f, 3e38f})
                .putInt32Array("types", new int[] {1, 2, 3, -4})
                .putArray("nested", GgufValueType.ARRAY, List.of(
                        new GgufWriter.ArrayValue(GgufValueType.UINT16, List.of(1, 2)),
                        new GgufWriter.ArrayValue(GgufValueType.STRING, List.of("x"))))
                .putArray("bools", GgufValueType.BOOL, List.of(true, false))
                .putArray("empty", GgufValueType.FLOAT64, List.of())
                .write(file);

        try (GgufFile gguf = GgufFile.open(file)) {
            GgufMetadata m = gguf.metadata();
            assertThat(gguf.version()).isEqualTo(3);
            assertThat(gguf.tensors()).isEmpty();
            assertThat(m.keys()).containsExactly("u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "str",
                    "u64", "i64", "f64", "tokens", "scores", "types", "nested", "bools", "empty");
            assertThat(m.getInt("u8")).isEqualTo(255);
            assertThat(m.getInt("i8")).isEqualTo(-128);
            assertThat(m.getInt("u16")).isEqualTo(65535);
            assertThat(m.getInt("i16")).isEqualTo(-32768);
            assertThat(m.getLong("u32")).isEqualTo(4_294_967_295L);
            assertThat(m.getInt("i32")).isEqualTo(Integer.MIN_VALUE);
            assertThat(m.getFloat("f32")).isEqualTo(1.5f);
            assertThat(m.getBool("bool")).isTrue();
            assertThat(m.getString("str")).isEqualTo("Sama-sama 🙏 ありがとう");
            assertThat((Long) m.get("u64")).isEqualTo(-1L);
            assertThat(m.getLong("i64")).isEqualTo(Long.MIN_VALUE);
            assertThat(m.getDouble("f64")).isEqualTo(Math.PI);
            assertThat(m.getStringArray("tokens")).containsExactly("a", "", "ŋ", "<0x0A>");
            assertThat(m.getFloatArray("scores")).containsExactly(0f, -1.25f, 3e38f);
            assertThat(m.getIntArray("types")).containsExactly(1, 2, 3, -4);
            assertThat(m.getBooleanArray("bools")).containsExactly(true, false);
            assertThat(m.getArray("empty").length()).isZero();
            GgufArray nested = m.getArray("nested");
            assertThat(nested.elementType()).isEqualTo(GgufValueType.ARRAY);
            assertThat(((GgufArray) nested.get(0)).toIntArray()).containsExactly(1, 2);
            assertThat(((GgufArray) nested.get(1)).toStringArray()).containsExactly("x");
            for (String key : m.keys()) {
                assertThat(m.findType(key)).isPresent();
            }
        }
    }

    @Test
    void typedGettersNameKeyAndTypes() throws IOException {
        Path file = dir.resolve("typed.gguf");
        new GgufWriter().putUint32("n", 7).putUint64("big", -1L).putStringArray("tokens", List.of("a")).write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            GgufMetadata m = gguf.metadata();
            assertThatThrownBy(() -> m.getString("n")).isInstanceOf(GgufFormatException.class)
                    .hasMessageContaining("metadata key 'n' is uint32, expected string");
            assertThatThrownBy(() -> m.getString("missing")).isInstanceOf(GgufFormatException.class)
                    .hasMessageContaining("metadata key 'missing' is missing");
            assertThatThrownBy(() -> m.getLong("big")).hasMessageContaining("(18446744073709551615) does not fit an int64")
                    .isInstanceOf(GgufFormatException.class);
            assertThatThrownBy(() -> m.getFloatArray("tokens"))
                    .hasMessageContaining("'tokens' is an array of string, expected an array of float32");
            assertThat(m.findInt("missing")).isEmpty();
            assertThat(m.findInt("n")).hasValue(7);
            assertThat(m.findString("missing")).isEmpty();
            assertThatThrownBy(() -> m.findBool("n")).isInstanceOf(GgufFormatException.class);
        }
    }

    @Test
    void tensorsRoundTripAlignedAndZeroCopy() throws IOException {
        Path file = dir.resolve("tensors.gguf");
        byte[] q8 = new byte[2 * 3 * GgmlType.Q8_0.bytesPerBlock()];
        for (int i = 0; i < q8.length; i++) {
            q8[i] = (byte) (i * 7);
        }
        float[] values = {1f, 2f, 3f, 4f, 5f, 6f};
        MemorySegment f32 = MemorySegment.ofArray(values);
        new GgufWriter()
                .putString("general.architecture", "llama")
                .putUint32("general.alignment", 64)
                .addTensor("small", GgmlType.F32, new long[] {3, 2}, f32)
                .addTensor("quant", GgmlType.Q8_0, new long[] {64, 3}, q8)
                .addTensor("scalar", GgmlType.I32, new long[] {}, new byte[] {1, 0, 0, 0})
                .addTensor("empty", GgmlType.F16, new long[] {0, 5}, new byte[0])
                .write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.alignment()).isEqualTo(64);
            assertThat(gguf.tensors()).extracting(Tensor::name).containsExactly("small", "quant", "scalar", "empty");
            GgufTensor small = gguf.tensor("small");
            assertThat(small.type()).isEqualTo(GgmlType.F32);
            assertThat(small.ne()).containsExactly(3, 2);
            assertThat(small.shape()).containsExactly(2, 3);
            assertThat(small.ne(0)).isEqualTo(3);
            assertThat(small.ne(3)).isEqualTo(1);
            assertThat(small.elementCount()).isEqualTo(6);
            assertThat(small.data().toArray(ByteCursor.F32)).containsExactly(values);
            assertThat(small.fileOffset() % 64).isZero();
            GgufTensor quant = gguf.tensor("quant");
            assertThat(quant.byteSize()).isEqualTo(q8.length);
            assertThat(quant.dataOffset()).isEqualTo(64);
            assertThat(quant.data().toArray(ValueLayout.JAVA_BYTE)).containsExactly(q8);
            assertThat(gguf.tensor("scalar").elementCount()).isEqualTo(1);
            assertThat(gguf.tensor("scalar").data().get(ByteCursor.U32, 0)).isEqualTo(1);
            assertThat(gguf.tensor("empty").elementCount()).isZero();
            assertThat(gguf.findTensor("nope")).isEmpty();
            assertThatThrownBy(() -> gguf.tensor("blk.0.attn_q.weight")).isInstanceOf(GgufFormatException.class)
                    .hasMessageContaining("no tensor named 'blk.0.attn_q.weight'");
            assertThat(small.data().isReadOnly()).isTrue();
        }
    }

    @Test
    void writerRejectsWhatGgmlCannotRead() {
        GgufWriter w = new GgufWriter().addTensor("t", GgmlType.F32, new long[] {1}, new byte[4]);
        assertThatThrownBy(() -> w.addTensor("t", GgmlType.F32, new long[] {1}, new byte[4]))
                .hasMessageContaining("duplicate tensor name 't'");
        assertThatThrownBy(() -> w.addTensor("q", GgmlType.Q4_K, new long[] {100}, new byte[0]))
                .hasMessageContaining("not a multiple of the Q4_K block size 256");
        assertThatThrownBy(() -> w.addTensor("x".repeat(64), GgmlType.F32, new long[] {1}, new byte[4]))
                .hasMessageContaining("1 to 63 UTF-8 bytes");
        assertThatThrownBy(() -> w.addTensor("five", GgmlType.F32, new long[] {1, 1, 1, 1, 1}, new byte[4]))
                .hasMessageContaining("at most 4");
        assertThatThrownBy(() -> w.putUint32("general.alignment", 48)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> w.putInt32("general.alignment", 64)).hasMessageContaining("uint32");
        assertThatThrownBy(() -> w.putUint8("byte", 256)).hasMessageContaining("not a valid uint8");
    }

    @Test
    void sourceWritingTheWrongByteCountFailsAndLeavesNoFile() {
        Path file = dir.resolve("short.gguf");
        GgufWriter w = new GgufWriter().addTensor("t", GgmlType.F32, new long[] {4}, sink -> sink.write(new byte[12]));
        assertThatThrownBy(() -> w.write(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tensor 't' takes 16 bytes but its source wrote only 12");
        assertThat(file).doesNotExist();
        GgufWriter w2 = new GgufWriter().addTensor("t", GgmlType.F32, new long[] {1}, sink -> sink.write(new byte[8]));
        assertThatThrownBy(() -> w2.write(file)).hasMessageContaining("takes 4 bytes but its source wrote 8");
        assertThat(file).doesNotExist();
    }

    @Test
    void metadataCopiesBetweenFiles() throws IOException {
        Path a = dir.resolve("a.gguf");
        Path b = dir.resolve("b.gguf");
        new GgufWriter().putStringArray("tokens", List.of("x", "y"))
                .putArray("nested", GgufValueType.ARRAY,
                        List.of(new GgufWriter.ArrayValue(GgufValueType.INT8, List.of(-1))))
                .putFloat64("d", 2.5).write(a);
        try (GgufFile in = GgufFile.open(a)) {
            new GgufWriter().putAll(in.metadata()).write(b);
        }
        assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
    }
}
