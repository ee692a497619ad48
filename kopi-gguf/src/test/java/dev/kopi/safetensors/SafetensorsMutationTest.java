package dev.kopi.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/** Mutated safetensors files parse consistently or fail with a SafetensorsFormatException, nothing else. */
class SafetensorsMutationTest {
    private static final Path DIR = createDir();
    private static final byte[] VALID = validSample();

    @Property(tries = 400)
    void byteFlipsAndTruncations(@ForAll("mutated") byte[] bytes) throws IOException {
        Path file = DIR.resolve("mutated.safetensors");
        Files.write(file, bytes);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            long covered = 0;
            for (SafetensorsTensor t : st.tensors()) {
                assertThat(t.byteSize()).isEqualTo(t.elementCount() * t.dtype().byteSize());
                assertThat(t.dataOffset()).isEqualTo(covered);
                covered += t.byteSize();
                if (t.byteSize() > 0) {
                    t.data().get(ValueLayout.JAVA_BYTE, t.byteSize() - 1);
                }
            }
        } catch (SafetensorsFormatException expected) {
            assertThat(expected.getMessage()).startsWith(file.toString());
        }
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        Arbitrary<byte[]> flips = Combinators.combine(Arbitraries.integers().between(0, VALID.length - 1),
                Arbitraries.of((byte) '"', (byte) '}', (byte) ',', (byte) '9', (byte) '-', (byte) 0, (byte) 0xFF,
                        (byte) 'F', (byte) ' ')).as((at, value) -> {
                            byte[] b = VALID.clone();
                            b[at] = value;
                            return b;
                        });
        Arbitrary<byte[]> cuts = Arbitraries.integers().between(0, VALID.length - 1)
                .map(n -> Arrays.copyOf(VALID, n));
        return Arbitraries.oneOf(flips, cuts);
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var files = Files.list(DIR)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(DIR);
    }

    private static Path createDir() {
        try {
            return Files.createTempDirectory("safetensors-mutation");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] validSample() {
        try {
            Path file = DIR.resolve("valid.safetensors");
            new SafetensorsWriter().putMetadata("format", "pt")
                    .addTensor("model.norm.weight", SafetensorsDType.F32, new long[] {4}, new byte[16])
                    .addTensor("model.embed_tokens.weight", SafetensorsDType.BF16, new long[] {3, 2}, new byte[12])
                    .addTensor("mask", SafetensorsDType.BOOL, new long[] {2}, new byte[] {1, 0})
                    .write(file);
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
