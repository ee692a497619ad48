package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Plain little-endian floats. */
final class F32Matrix extends BlockMatrix {
    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    F32Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.F32, data, rows, cols);
    }

    @Override
    void dequantizeBlocks(long offset, int blocks, float[] dst, int dstOffset) {
        MemorySegment.copy(data, FLOAT_LE, offset, dst, dstOffset, blocks);
    }

    @Override
    float dotRow(int row, float[] x, int xOffset, float[] xSums) {
        long base = row * rowBytes;
        int len = F.length();
        int bound = F.loopBound(cols);
        int unrolled = cols - cols % (4 * len);
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i < unrolled; i += 4 * len) {
            long o = base + (long) i * Float.BYTES;
            a0 = FloatVector.fromMemorySegment(F, data, o, ByteOrder.LITTLE_ENDIAN)
                    .fma(FloatVector.fromArray(F, x, xOffset + i), a0);
            a1 = FloatVector.fromMemorySegment(F, data, o + 4L * len, ByteOrder.LITTLE_ENDIAN)
                    .fma(FloatVector.fromArray(F, x, xOffset + i + len), a1);
            a2 = FloatVector.fromMemorySegment(F, data, o + 8L * len, ByteOrder.LITTLE_ENDIAN)
                    .fma(FloatVector.fromArray(F, x, xOffset + i + 2 * len), a2);
            a3 = FloatVector.fromMemorySegment(F, data, o + 12L * len, ByteOrder.LITTLE_ENDIAN)
                    .fma(FloatVector.fromArray(F, x, xOffset + i + 3 * len), a3);
        }
        for (; i < bound; i += len) {
            a0 = FloatVector.fromMemorySegment(F, data, base + (long) i * Float.BYTES, ByteOrder.LITTLE_ENDIAN)
                    .fma(FloatVector.fromArray(F, x, xOffset + i), a0);
        }
        float sum = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
        for (; i < cols; i++) {
            sum += data.get(FLOAT_LE, base + (long) i * Float.BYTES) * x[xOffset + i];
        }
        return sum;
    }
}
