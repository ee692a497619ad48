package dev.kopi.gguf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import dev.kopi.testkit.LlamaCppLibrary;

/** The oracle: ggml's own GGUF reader ({@code gguf.h}) in libggml-base, through FFM. */
final class GgmlGguf implements AutoCloseable {
    private static final StructLayout INIT_PARAMS = MemoryLayout.structLayout(
            JAVA_BOOLEAN.withName("no_alloc"), MemoryLayout.paddingLayout(7), ADDRESS.withName("ctx"));
    private static final FunctionDescriptor CTX_ID_TO_LONG = FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG);
    private static final FunctionDescriptor CTX_ID_TO_INT = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG);
    private static final FunctionDescriptor CTX_ID_TO_ADDRESS = FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG);

    private static final MethodHandle INIT_FROM_FILE = handle("gguf_init_from_file",
            FunctionDescriptor.of(ADDRESS, ADDRESS, INIT_PARAMS));
    private static final MethodHandle FREE = handle("gguf_free", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle VERSION = handle("gguf_get_version", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ALIGNMENT = handle("gguf_get_alignment", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    private static final MethodHandle DATA_OFFSET = handle("gguf_get_data_offset", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    private static final MethodHandle N_KV = handle("gguf_get_n_kv", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    private static final MethodHandle KEY = handle("gguf_get_key", CTX_ID_TO_ADDRESS);
    private static final MethodHandle KV_TYPE = handle("gguf_get_kv_type", CTX_ID_TO_INT);
    private static final MethodHandle ARR_TYPE = handle("gguf_get_arr_type", CTX_ID_TO_INT);
    private static final MethodHandle ARR_N = handle("gguf_get_arr_n", CTX_ID_TO_LONG);
    private static final MethodHandle ARR_DATA = handle("gguf_get_arr_data", CTX_ID_TO_ADDRESS);
    private static final MethodHandle ARR_STR = handle("gguf_get_arr_str",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle VAL_STR = handle("gguf_get_val_str", CTX_ID_TO_ADDRESS);
    private static final MethodHandle VAL_DATA = handle("gguf_get_val_data", CTX_ID_TO_ADDRESS);
    private static final MethodHandle N_TENSORS = handle("gguf_get_n_tensors", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    private static final MethodHandle TENSOR_NAME = handle("gguf_get_tensor_name", CTX_ID_TO_ADDRESS);
    private static final MethodHandle TENSOR_OFFSET = handle("gguf_get_tensor_offset", CTX_ID_TO_LONG);
    private static final MethodHandle TENSOR_SIZE = handle("gguf_get_tensor_size", CTX_ID_TO_LONG);
    private static final MethodHandle TENSOR_TYPE = handle("gguf_get_tensor_type", CTX_ID_TO_INT);
    private static final MethodHandle TENSOR_NE = handle("gguf_get_tensor_ne", CTX_ID_TO_ADDRESS);
    private static final MethodHandle TYPE_SIZE = handle("ggml_type_size", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    private static final MethodHandle BLCK_SIZE = handle("ggml_blck_size", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));

    private final MemorySegment ctx;

    private GgmlGguf(MemorySegment ctx) {
        this.ctx = ctx;
    }

    /** Opens {@code path} with ggml's reader (metadata and tensor infos only); null if ggml rejects the file. */
    static GgmlGguf open(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = arena.allocate(INIT_PARAMS);
            params.set(JAVA_BOOLEAN, 0, true);
            params.set(ADDRESS, 8, MemorySegment.NULL);
            MemorySegment ctx = (MemorySegment) INIT_FROM_FILE.invokeExact(arena.allocateFrom(path.toString()), params);
            return ctx.equals(MemorySegment.NULL) ? null : new GgmlGguf(ctx);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long typeSize(int type) {
        try {
            return (long) TYPE_SIZE.invokeExact(type);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long blockSize(int type) {
        try {
            return (long) BLCK_SIZE.invokeExact(type);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    int version() throws Throwable {
        return (int) VERSION.invokeExact(ctx);
    }

    long alignment() throws Throwable {
        return (long) ALIGNMENT.invokeExact(ctx);
    }

    long dataOffset() throws Throwable {
        return (long) DATA_OFFSET.invokeExact(ctx);
    }

    long keyCount() throws Throwable {
        return (long) N_KV.invokeExact(ctx);
    }

    String key(long id) throws Throwable {
        return cString((MemorySegment) KEY.invokeExact(ctx, id));
    }

    int type(long id) throws Throwable {
        return (int) KV_TYPE.invokeExact(ctx, id);
    }

    int arrayType(long id) throws Throwable {
        return (int) ARR_TYPE.invokeExact(ctx, id);
    }

    long arrayLength(long id) throws Throwable {
        return (long) ARR_N.invokeExact(ctx, id);
    }

    /** The raw bytes of a numeric array. */
    MemorySegment arrayData(long id, long bytes) throws Throwable {
        return ((MemorySegment) ARR_DATA.invokeExact(ctx, id)).reinterpret(bytes);
    }

    String arrayString(long id, long i) throws Throwable {
        return cString((MemorySegment) ARR_STR.invokeExact(ctx, id, i));
    }

    String string(long id) throws Throwable {
        return cString((MemorySegment) VAL_STR.invokeExact(ctx, id));
    }

    /** A scalar boxed as GgufMetadata boxes it. */
    Object scalar(long id, GgufValueType type) throws Throwable {
        if (type == GgufValueType.STRING) {
            return string(id); // gguf_get_val_data asserts on strings
        }
        MemorySegment v = ((MemorySegment) VAL_DATA.invokeExact(ctx, id)).reinterpret(8);
        return switch (type) {
            case UINT8 -> (long) Byte.toUnsignedInt(v.get(JAVA_BYTE, 0));
            case INT8 -> (long) v.get(JAVA_BYTE, 0);
            case UINT16 -> (long) Short.toUnsignedInt(v.get(JAVA_SHORT, 0));
            case INT16 -> (long) v.get(JAVA_SHORT, 0);
            case UINT32 -> Integer.toUnsignedLong(v.get(JAVA_INT, 0));
            case INT32 -> (long) v.get(JAVA_INT, 0);
            case UINT64, INT64 -> v.get(JAVA_LONG, 0);
            case FLOAT32 -> v.get(JAVA_FLOAT, 0);
            case FLOAT64 -> v.get(JAVA_DOUBLE, 0);
            case BOOL -> v.get(JAVA_BYTE, 0) != 0;
            case STRING, ARRAY -> throw new IllegalArgumentException("not a scalar");
        };
    }

    long tensorCount() throws Throwable {
        return (long) N_TENSORS.invokeExact(ctx);
    }

    String tensorName(long id) throws Throwable {
        return cString((MemorySegment) TENSOR_NAME.invokeExact(ctx, id));
    }

    long tensorOffset(long id) throws Throwable {
        return (long) TENSOR_OFFSET.invokeExact(ctx, id);
    }

    long tensorSize(long id) throws Throwable {
        return (long) TENSOR_SIZE.invokeExact(ctx, id);
    }

    int tensorType(long id) throws Throwable {
        return (int) TENSOR_TYPE.invokeExact(ctx, id);
    }

    /** ne[0..3], 1 beyond the declared dimensions. */
    long[] tensorNe(long id) throws Throwable {
        return ((MemorySegment) TENSOR_NE.invokeExact(ctx, id)).reinterpret(32).toArray(JAVA_LONG);
    }

    @Override
    public void close() {
        try {
            FREE.invokeExact(ctx);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static String cString(MemorySegment s) {
        return s.reinterpret(Long.MAX_VALUE).getString(0);
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        return LlamaCppLibrary.get().downcall(name, descriptor);
    }
}
