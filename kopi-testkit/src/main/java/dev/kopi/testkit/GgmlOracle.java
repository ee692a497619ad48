package dev.kopi.testkit;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * ggml's own dequantizers and quantizers (libggml-base through FFM), the oracle for the kernels' block formats.
 * Types are named by their ggml/GGUF type id ({@code enum ggml_type}).
 */
public final class GgmlOracle {
    /**
     * Offset of {@code to_float} in {@code struct ggml_type_traits}: type_name (pointer), blck_size (int64),
     * blck_size_interleave (int64), type_size (size_t), is_quantized (bool, padded to 8) come first.
     */
    private static final long TO_FLOAT_OFFSET = 40;
    private static final long TRAITS_SIZE = 56;

    private static final MethodHandle GET_TYPE_TRAITS;
    private static final MethodHandle QUANTIZE_CHUNK;
    private static final MethodHandle REQUIRES_IMATRIX;
    /** {@code void to_float(const void * x, float * y, int64_t k)} */
    private static final FunctionDescriptor TO_FLOAT = FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, JAVA_LONG);

    static {
        LlamaCppLibrary lib = LlamaCppLibrary.get();
        GET_TYPE_TRAITS = lib.downcall("ggml_get_type_traits", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        QUANTIZE_CHUNK = lib.downcall("ggml_quantize_chunk",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS));
        REQUIRES_IMATRIX = lib.downcall("ggml_quantize_requires_imatrix", FunctionDescriptor.of(JAVA_BOOLEAN, JAVA_INT));
    }

    private GgmlOracle() {
    }

    /** ggml's {@code to_float} for type {@code typeId} applied to {@code n} elements stored in {@code blocks}. */
    public static float[] toFloat(int typeId, byte[] blocks, int n) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment traits = ((MemorySegment) GET_TYPE_TRAITS.invokeExact(typeId)).reinterpret(TRAITS_SIZE);
            MemorySegment fn = traits.get(ADDRESS, TO_FLOAT_OFFSET);
            if (fn.equals(MemorySegment.NULL)) {
                throw new AssertionError("ggml has no to_float for type " + typeId);
            }
            MethodHandle toFloat = Linker.nativeLinker().downcallHandle(fn, TO_FLOAT);
            MemorySegment src = arena.allocate(Math.max(1, blocks.length), 64);
            MemorySegment.copy(blocks, 0, src, ValueLayout.JAVA_BYTE, 0, blocks.length);
            MemorySegment dst = arena.allocate((long) n * Float.BYTES, 64);
            toFloat.invokeExact(src, dst, (long) n);
            return dst.toArray(JAVA_FLOAT);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * ggml's {@code ggml_quantize_chunk(type, src, dst, 0, nrows, nPerRow, NULL)}: {@code nrows} rows of
     * {@code nPerRow} floats quantized without an importance matrix; returns the bytes written.
     */
    public static byte[] quantize(int typeId, float[] src, int nrows, int nPerRow) {
        if (src.length != (long) nrows * nPerRow) {
            throw new IllegalArgumentException("src holds " + src.length + " floats, not " + nrows + " x " + nPerRow);
        }
        try (Arena arena = Arena.ofConfined()) {
            if ((boolean) REQUIRES_IMATRIX.invokeExact(typeId)) {
                throw new AssertionError("ggml type " + typeId + " cannot be quantized without an imatrix");
            }
            MemorySegment in = arena.allocateFrom(JAVA_FLOAT, src);
            // Generously sized: no type takes more than 4 bytes per element.
            MemorySegment out = arena.allocate((long) src.length * 4 + 1024, 64);
            long written = (long) QUANTIZE_CHUNK.invokeExact(typeId, in, out, 0L, (long) nrows, (long) nPerRow,
                    MemorySegment.NULL);
            return out.asSlice(0, written).toArray(ValueLayout.JAVA_BYTE);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            return re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
