package dev.kopi.engine.synth;

import java.lang.foreign.MemorySegment;

import dev.kopi.gguf.GgmlType;

/** Adapter to kopi-kernels' quantizers (placeholder until they land). */
final class Quantization {
    private Quantization() {}

    static void quantize(GgmlType type, float[] values, int rows, int rowLength, MemorySegment out) {
        throw new UnsupportedOperationException("no quantizer for " + type + " yet");
    }
}
