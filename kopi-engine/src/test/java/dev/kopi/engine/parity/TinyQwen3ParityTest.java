package dev.kopi.engine.parity;

import dev.kopi.engine.synth.Qwen3Shape;

/** Logit parity on the tiny shape (2 layers, 256 wide, the real vocabulary). */
class TinyQwen3ParityTest extends Qwen3LogitParity {
    @Override
    Qwen3Shape shape() {
        return Qwen3Shape.named("tiny");
    }
}
