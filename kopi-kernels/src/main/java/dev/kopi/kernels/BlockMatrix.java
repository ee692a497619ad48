package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The shared machinery of every {@link WeightMatrix}: argument checks, the row-parallel decode loop and the
 * register-tiled prefill loop. A type supplies how to dequantize a run of its blocks and, where it pays, a fused
 * row dot product that never writes the dequantized values anywhere.
 */
abstract class BlockMatrix implements WeightMatrix {
    static final VectorSpecies<Float> F = Lanes.F;

    /** Weight rows dequantized together in {@link #matMul}; each activation load then feeds this many FMAs. */
    private static final int ROW_TILE = 4;
    /** Activation rows in one {@link #matMul} micro-kernel call. */
    private static final int BATCH_TILE = 4;
    /** Bytes of activations a token tile may take, so the tile stays in L2 while the weight rows pass over it. */
    private static final int TOKEN_TILE_BYTES = 512 * 1024;

    final GgmlType type;
    final MemorySegment data;
    final int rows;
    final int cols;
    final long rowBytes;
    final int blocksPerRow;

    BlockMatrix(GgmlType type, MemorySegment data, int rows, int cols) {
        this.type = type;
        this.data = data;
        this.rows = rows;
        this.cols = cols;
        this.rowBytes = type.byteSize(cols);
        this.blocksPerRow = cols / type.blockSize();
    }

    static WeightMatrix create(GgmlType type, MemorySegment data, int rows, int cols) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("matrix dimensions must be positive, got " + rows + " x " + cols);
        }
        if (cols % type.blockSize() != 0) {
            throw new IllegalArgumentException(cols + " columns is not a whole number of " + type + " blocks of "
                    + type.blockSize());
        }
        long expected = Math.multiplyExact(type.byteSize(cols), (long) rows);
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException(type + " matrix " + rows + " x " + cols + " needs " + expected
                    + " bytes, got " + data.byteSize());
        }
        return switch (type) {
            case F32 -> new F32Matrix(data, rows, cols);
            case F16, BF16 -> new HalfMatrix(type, data, rows, cols);
            case Q8_0 -> new Q8_0Matrix(data, rows, cols);
            case Q4_0 -> new Q4_0Matrix(data, rows, cols);
            case Q4_1 -> new Q4_1Matrix(data, rows, cols);
            case Q5_0, Q5_1 -> new Q5Matrix(type, data, rows, cols);
            case Q2_K -> new Q2_KMatrix(data, rows, cols);
            case Q3_K -> new Q3_KMatrix(data, rows, cols);
            case Q4_K, Q5_K -> new Q45_KMatrix(type, data, rows, cols);
            case Q6_K -> new Q6_KMatrix(data, rows, cols);
            default -> throw new IllegalArgumentException("no kernels for tensor type " + type);
        };
    }

    @Override
    public final GgmlType type() {
        return type;
    }

    @Override
    public final int rows() {
        return rows;
    }

    @Override
    public final int cols() {
        return cols;
    }

    @Override
    public final MemorySegment data() {
        return data;
    }

    @Override
    public final long rowBytes() {
        return rowBytes;
    }

    /** Dequantizes {@code blocks} consecutive blocks starting at byte {@code offset} into {@code dst[dstOffset ..]}. */
    abstract void dequantizeBlocks(long offset, int blocks, float[] dst, int dstOffset);

    /**
     * Group size of the activation sums {@link #dotRow} needs, or 0. Types whose groups carry a minimum
     * ({@code w = d*q - m}) apply it once per group as {@code m * sum(x over the group)}.
     */
    int sumGroup() {
        return 0;
    }

    /**
     * The dot product of row {@code row} with {@code x[xOffset .. xOffset + cols)}; {@code xSums[g]} is the sum of
     * activation group {@code g} of {@link #sumGroup()} elements (null if that is 0). This default dequantizes the
     * row into a thread-local buffer first; types override it with fused kernels.
     */
    float dotRow(int row, float[] x, int xOffset, float[] xSums) {
        float[] w = Scratch.floats(cols);
        dequantizeBlocks(row * rowBytes, blocksPerRow, w, 0);
        return VectorOps.dot(w, 0, x, xOffset, cols);
    }

    @Override
    public final void dequantizeRow(int row, float[] dst, int dstOffset) {
        Objects.checkIndex(row, rows);
        Objects.checkFromIndexSize(dstOffset, cols, dst.length);
        dequantizeBlocks(row * rowBytes, blocksPerRow, dst, dstOffset);
    }

    @Override
    public final void matVec(float[] x, int xOffset, float[] out, int outOffset, WorkerPool pool) {
        Objects.checkFromIndexSize(xOffset, cols, x.length);
        Objects.checkFromIndexSize(outOffset, rows, out.length);
        float[] xSums = groupSums(x, xOffset, sumGroup());
        pool.parallelFor(rows, (from, to) -> {
            for (int r = from; r < to; r++) {
                out[outOffset + r] = dotRow(r, x, xOffset, xSums);
            }
        });
    }

    private float[] groupSums(float[] x, int xOffset, int group) {
        if (group == 0) {
            return null;
        }
        float[] sums = new float[cols / group];
        for (int g = 0; g < sums.length; g++) {
            float s = 0;
            for (int i = 0; i < group; i++) {
                s += x[xOffset + g * group + i];
            }
            sums[g] = s;
        }
        return sums;
    }

    @Override
    public final void matMul(float[] x, int batch, float[] out, WorkerPool pool) {
        if (batch < 0) {
            throw new IllegalArgumentException("negative batch " + batch);
        }
        Objects.checkFromIndexSize(0, (long) batch * cols, x.length);
        Objects.checkFromIndexSize(0, (long) batch * rows, out.length);
        if (batch == 1) {
            matVec(x, 0, out, 0, pool);
            return;
        }
        int tokenTile = Math.max(BATCH_TILE, TOKEN_TILE_BYTES / (cols * Float.BYTES) / BATCH_TILE * BATCH_TILE);
        int rowTiles = (rows + ROW_TILE - 1) / ROW_TILE;
        pool.parallelFor(rowTiles, (tileFrom, tileTo) -> {
            float[] w = Scratch.floats(ROW_TILE * cols);
            for (int b0 = 0; b0 < batch; b0 += tokenTile) {
                int b1 = Math.min(batch, b0 + tokenTile);
                for (int t = tileFrom; t < tileTo; t++) {
                    int r0 = t * ROW_TILE;
                    int nr = Math.min(ROW_TILE, rows - r0);
                    dequantizeBlocks(r0 * rowBytes, nr * blocksPerRow, w, 0);
                    multiplyTile(w, nr, r0, x, b0, b1, out);
                }
            }
        });
    }

    /** out[b*rows + r0 + i] = dot(w row i, x row b) for i < nr and b in [b0, b1). */
    private void multiplyTile(float[] w, int nr, int r0, float[] x, int b0, int b1, float[] out) {
        int b = b0;
        if (nr == ROW_TILE) {
            for (; b + BATCH_TILE <= b1; b += BATCH_TILE) {
                kernel4x4(w, x, b, out, r0);
            }
        }
        for (; b < b1; b++) {
            for (int i = 0; i < nr; i++) {
                out[b * rows + r0 + i] = VectorOps.dot(w, i * cols, x, b * cols, cols);
            }
        }
    }

    /** Four weight rows against four activation rows: sixteen accumulators, eight loads per sixteen FMAs. */
    private void kernel4x4(float[] w, float[] x, int b, float[] out, int r0) {
        int n = cols;
        int w0 = 0, w1 = n, w2 = 2 * n, w3 = 3 * n;
        int x0 = b * n, x1 = x0 + n, x2 = x1 + n, x3 = x2 + n;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int len = F.length();
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += len) {
            FloatVector v0 = FloatVector.fromArray(F, x, x0 + i);
            FloatVector v1 = FloatVector.fromArray(F, x, x1 + i);
            FloatVector v2 = FloatVector.fromArray(F, x, x2 + i);
            FloatVector v3 = FloatVector.fromArray(F, x, x3 + i);
            FloatVector u = FloatVector.fromArray(F, w, w0 + i);
            a00 = u.fma(v0, a00); a01 = u.fma(v1, a01); a02 = u.fma(v2, a02); a03 = u.fma(v3, a03);
            u = FloatVector.fromArray(F, w, w1 + i);
            a10 = u.fma(v0, a10); a11 = u.fma(v1, a11); a12 = u.fma(v2, a12); a13 = u.fma(v3, a13);
            u = FloatVector.fromArray(F, w, w2 + i);
            a20 = u.fma(v0, a20); a21 = u.fma(v1, a21); a22 = u.fma(v2, a22); a23 = u.fma(v3, a23);
            u = FloatVector.fromArray(F, w, w3 + i);
            a30 = u.fma(v0, a30); a31 = u.fma(v1, a31); a32 = u.fma(v2, a32); a33 = u.fma(v3, a33);
        }
        float[] s = {
            a00.reduceLanes(VectorOperators.ADD), a01.reduceLanes(VectorOperators.ADD),
            a02.reduceLanes(VectorOperators.ADD), a03.reduceLanes(VectorOperators.ADD),
            a10.reduceLanes(VectorOperators.ADD), a11.reduceLanes(VectorOperators.ADD),
            a12.reduceLanes(VectorOperators.ADD), a13.reduceLanes(VectorOperators.ADD),
            a20.reduceLanes(VectorOperators.ADD), a21.reduceLanes(VectorOperators.ADD),
            a22.reduceLanes(VectorOperators.ADD), a23.reduceLanes(VectorOperators.ADD),
            a30.reduceLanes(VectorOperators.ADD), a31.reduceLanes(VectorOperators.ADD),
            a32.reduceLanes(VectorOperators.ADD), a33.reduceLanes(VectorOperators.ADD),
        };
        for (; i < n; i++) {
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 4; c++) {
                    s[r * 4 + c] += w[r * n + i] * x[x0 + c * n + i];
                }
            }
        }
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                out[(b + c) * rows + r0 + r] = s[r * 4 + c];
            }
        }
    }
}
