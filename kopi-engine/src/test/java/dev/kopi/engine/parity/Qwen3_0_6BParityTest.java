package dev.kopi.engine.parity;

import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

import dev.kopi.engine.Architecture;
import dev.kopi.engine.synth.FileType;
import dev.kopi.engine.synth.ModelShape;

/** Logit parity on the Qwen3-0.6B shape (28 layers, 1024 wide, 16/8 heads, tied embeddings). */
class Qwen3_0_6BParityTest extends LogitParity {
    @Override
    Stream<Arguments> cases() {
        return Stream.of(FileType.F32, FileType.F16, FileType.Q8_0, FileType.Q4_0, FileType.Q4_K_M)
                .map(t -> Arguments.of(ModelShape.named(Architecture.QWEN3, "0.6b"), t));
    }
}
