package dev.kopi.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Mutated valid files (byte flips, truncations, inserted bytes) either parse into a self-consistent file or
 * fail with a {@link GgufFormatException}: never another exception, an OutOfMemoryError or a long stall.
 */
class GgufMutationTest {
    private static final byte[] VALID = validSample();

    @Property(tries = 2000)
    void byteFlips(@ForAll("flipped") byte[] bytes) {
        assertParsesConsistentlyOrFailsCleanly(bytes);
    }

    @Property(tries = 300)
    void truncations(@ForAll("truncated") byte[] bytes) {
        assertParsesConsistentlyOrFailsCleanly(bytes);
    }

    @Property(tries = 800)
    void insertions(@ForAll("inserted") byte[] bytes) {
        assertParsesConsistentlyOrFailsCleanly(bytes);
    }

    @Provide
    Arbitrary<byte[]> flipped() {
        Arbitrary<int[]> flip = Combinators.combine(Arbitraries.integers().between(0, VALID.length - 1),
                Arbitraries.integers().between(0, 255)).as((at, value) -> new int[] {at, value});
        // Bias toward the structural bytes at the start, where a flip changes counts, lengths and types.
        Arbitrary<int[]> headerFlip = Combinators.combine(Arbitraries.integers().between(0, 200),
                Arbitraries.of(0, 1, 0x7F, 0x80, 0xFF)).as((at, value) -> new int[] {at, value});
        return Arbitraries.oneOf(flip, headerFlip).list().ofMinSize(1).ofMaxSize(6).map(flips -> {
            byte[] bytes = VALID.clone();
            for (int[] f : flips) {
                bytes[f[0]] = (byte) f[1];
            }
            return bytes;
        });
    }

    @Provide
    Arbitrary<byte[]> truncated() {
        return Arbitraries.integers().between(0, VALID.length - 1).map(n -> Arrays.copyOf(VALID, n));
    }

    @Provide
    Arbitrary<byte[]> inserted() {
        return Combinators.combine(Arbitraries.integers().between(0, VALID.length),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(16)).as((at, extra) -> {
                    byte[] bytes = new byte[VALID.length + extra.length];
                    System.arraycopy(VALID, 0, bytes, 0, at);
                    System.arraycopy(extra, 0, bytes, at, extra.length);
                    System.arraycopy(VALID, at, bytes, at + extra.length, VALID.length - at);
                    return bytes;
                });
    }

    private static void assertParsesConsistentlyOrFailsCleanly(byte[] bytes) {
        long start = System.nanoTime();
        try (GgufFile gguf = GgufCorruptionTest.parse(bytes)) {
            checkConsistent(gguf, bytes.length);
        } catch (GgufFormatException expected) {
            assertThat(expected.getMessage()).startsWith("bad.gguf: ");
        }
        assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds to parse").isLessThan(2_000);
    }

    /** Every value and tensor of a file that parsed can be read, and lies inside the file. */
    private static void checkConsistent(GgufFile gguf, long fileSize) {
        GgufMetadata m = gguf.metadata();
        for (String key : m.keys()) {
            Object value = m.get(key);
            assertThat(value).isNotNull();
            if (value instanceof GgufArray array) {
                readAll(array);
            }
        }
        for (GgufTensor t : gguf.tensors()) {
            assertThat(t.byteSize()).isEqualTo(t.type().byteSize(t.elementCount()));
            assertThat(t.fileOffset()).isBetween(0L, fileSize);
            assertThat(t.fileOffset() + t.byteSize()).isLessThanOrEqualTo(fileSize);
            assertThat(t.fileOffset() % gguf.alignment()).isZero();
            if (t.byteSize() > 0) {
                t.data().get(ValueLayout.JAVA_BYTE, t.byteSize() - 1);
            }
            assertThat(gguf.tensor(t.name())).isSameAs(t);
        }
    }

    private static void readAll(GgufArray array) {
        List<Object> elements = array.toList();
        assertThat(elements).hasSize((int) array.length());
        switch (array.elementType()) {
            case STRING -> assertThat(array.toStringArray()).containsExactlyElementsOf(
                    elements.stream().map(String.class::cast).toList());
            case ARRAY -> elements.forEach(e -> readAll((GgufArray) e));
            case FLOAT32, FLOAT64 -> assertThat(array.toDoubleArray()).hasSize(elements.size());
            case BOOL -> assertThat(array.toBooleanArray()).hasSize(elements.size());
            default -> assertThat(array.toLongArray().length + 0L).isEqualTo(array.length()).isNotNegative();
        }
    }

    private static byte[] validSample() {
        try {
            Path dir = Files.createTempDirectory("gguf-mutation");
            try {
                return GgufCorruptionTest.sample(dir);
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        Files.delete(p);
                    }
                }
                Files.delete(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
