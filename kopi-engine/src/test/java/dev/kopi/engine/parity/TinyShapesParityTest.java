package dev.kopi.engine.parity;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

import dev.kopi.engine.Architecture;
import dev.kopi.engine.synth.FileType;
import dev.kopi.engine.synth.ModelShape;

/**
 * Logit parity on every architecture's tiny shape (the real vocabulary and every feature of the architecture:
 * Gemma's windowed and global layers, soft-capping, Llama 3's RoPE factors, Apertus's xIELU) in F32, F16, Q8_0 and
 * Q4_K_M; Qwen3 also in BF16 and Q4_0.
 */
class TinyShapesParityTest extends LogitParity {
    @Override
    Stream<Arguments> cases() {
        List<FileType> common = List.of(FileType.F32, FileType.F16, FileType.Q8_0, FileType.Q4_K_M);
        return Stream.of(Architecture.values()).flatMap(a -> {
            List<FileType> types = a == Architecture.QWEN3
                    ? List.of(FileType.F32, FileType.F16, FileType.BF16, FileType.Q8_0, FileType.Q4_0, FileType.Q4_K_M)
                    : common;
            return types.stream().map(t -> Arguments.of(ModelShape.named(a, "tiny"), t));
        });
    }
}
