package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * A {@code rows x cols} weight matrix stored row-major, each row being {@code cols} elements packed as ggml blocks
 * of {@link #type()} (in GGUF terms ne0 = cols, ne1 = rows). The kernels work straight on the (usually
 * memory-mapped) bytes; nothing is copied or repacked.
 *
 * <p>Activations stay in F32: products are computed by dequantizing weights in registers (or, for
 * {@link #matMul}, a few rows at a time into an L1-sized buffer) and accumulating with F32 FMAs. This matches an
 * exact F32-activation forward pass over the dequantized weights to float rounding, rather than llama.cpp's
 * 8-bit activation quantization.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface WeightMatrix {
    /** The block type every row is stored in. */
    GgmlType type();

    /** Number of rows (output features). */
    int rows();

    /** Number of columns (input features), a whole number of blocks of {@link #type()}. */
    int cols();

    /** The bytes of the matrix, {@code rows * rowBytes()} long. */
    MemorySegment data();

    /** Bytes one row occupies. */
    default long rowBytes() {
        return type().byteSize(cols());
    }

    /**
     * The matrix over {@code data}, which must hold exactly {@code rows} rows of {@code cols} elements of
     * {@code type}.
     *
     * @throws IllegalArgumentException naming the problem if the type has no kernels, {@code cols} is not a
     *     whole number of blocks, a dimension is not positive, or the size of {@code data} does not match
     */
    static WeightMatrix of(GgmlType type, MemorySegment data, int rows, int cols) {
        return BlockMatrix.create(type, data, rows, cols);
    }

    /** Decode path: {@code out[r] = dot(row r, x)} for every row. */
    default void matVec(float[] x, float[] out, WorkerPool pool) {
        matVec(x, 0, out, 0, pool);
    }

    /** {@code out[outOffset + r] = dot(row r, x[xOffset .. xOffset + cols))} for every row. */
    void matVec(float[] x, int xOffset, float[] out, int outOffset, WorkerPool pool);

    /**
     * Prefill (or a batch of sequences): {@code out[b*rows + r] = dot(row r, x[b*cols .. (b+1)*cols))} for
     * {@code b} in {@code [0, batch)}. Each weight row is read once per tile of activation rows, not once per
     * activation row.
     */
    void matMul(float[] x, int batch, float[] out, WorkerPool pool);

    /** Writes row {@code row} as {@code cols} floats to {@code dst[dstOffset ..]}, as ggml's to_float would. */
    void dequantizeRow(int row, float[] dst, int dstOffset);
}
