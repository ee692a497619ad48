package dev.kopi.engine.parity;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import dev.kopi.gguf.GgmlType;
import dev.kopi.gguf.GgufFile;
import dev.kopi.gguf.GgufTensor;
import dev.kopi.testkit.GgmlOracle;

/** The exact reference's weights: rows of a GGUF file's tensors turned into F32 by ggml's own to_float. */
final class GgufWeights implements ExactDecoder.Weights {
    private final GgufFile file;

    GgufWeights(GgufFile file) {
        this.file = file;
    }

    @Override
    public void rows(String name, long firstRow, int count, float[] out) {
        GgufTensor t = file.tensor(name);
        long rowLength = t.ne(0);
        long rowBytes = t.type().byteSize(rowLength);
        MemorySegment rows = t.data().asSlice(firstRow * rowBytes, count * rowBytes);
        int n = Math.toIntExact(count * rowLength);
        if (t.type() == GgmlType.F32) { // ggml has no to_float for its native type
            MemorySegment.copy(rows, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, out, 0, n);
            return;
        }
        byte[] bytes = rows.toArray(ValueLayout.JAVA_BYTE);
        System.arraycopy(GgmlOracle.toFloat(t.type().id(), bytes, n), 0, out, 0, n);
    }
}
