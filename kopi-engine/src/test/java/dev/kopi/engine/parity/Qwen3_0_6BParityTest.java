package dev.kopi.engine.parity;

import dev.kopi.engine.synth.Qwen3Shape;

/** Logit parity on the Qwen3-0.6B shape (28 layers, 1024 wide, 16/8 heads, tied embeddings). */
class Qwen3_0_6BParityTest extends Qwen3LogitParity {
    @Override
    Qwen3Shape shape() {
        return Qwen3Shape.named("0.6b");
    }
}
