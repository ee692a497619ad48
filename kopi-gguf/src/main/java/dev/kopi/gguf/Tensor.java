package dev.kopi.gguf;

import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * One named tensor of a model file, GGUF or safetensors, whose bytes are a view of the memory-mapped file.
 *
 * <p><b>Dimension order.</b> Two conventions meet here, and this interface offers both:
 * <ul>
 *   <li>{@link #ne()} is ggml's order: {@code ne[0]} is the fastest-varying dimension, the length of one row
 *       (for a weight matrix of a linear layer, the input width); {@code ne[1]} counts the rows, and so on.
 *       GGUF stores this order.</li>
 *   <li>{@link #shape()} is the row-major order of PyTorch and NumPy: the last entry varies fastest.
 *       safetensors stores this order. {@code shape()} is {@code ne()} reversed.</li>
 * </ul>
 *
 * <p>The {@link #data()} segment is little-endian, zero-copy and valid only while the file that produced it
 * is open.
 */
public interface Tensor {
    /** The tensor's name, e.g. {@code blk.0.attn_q.weight} or {@code model.layers.0.self_attn.q_proj.weight}. */
    String name();

    /** The element type as its format names it, e.g. {@code Q4_K}, {@code F16}, {@code BF16}, {@code BOOL}. */
    String typeName();

    /** The ggml type of the elements, or empty for a safetensors type ggml has no equal of (U8, BOOL). */
    Optional<GgmlType> ggmlType();

    /** Dimensions in ggml order, fastest first ({@code ne[0]} is the row length); a fresh copy. */
    long[] ne();

    /** Dimensions in row-major order, slowest first ({@code ne()} reversed); a fresh copy. */
    default long[] shape() {
        long[] ne = ne();
        long[] shape = new long[ne.length];
        for (int i = 0; i < ne.length; i++) {
            shape[i] = ne[ne.length - 1 - i];
        }
        return shape;
    }

    /** Number of elements: the product of the dimensions (1 for a scalar with no dimensions). */
    long elementCount();

    /** Bytes of data. */
    default long byteSize() {
        return data().byteSize();
    }

    /** The tensor's bytes: a read-only, little-endian slice of the mapped file, valid until the file is closed. */
    MemorySegment data();
}
