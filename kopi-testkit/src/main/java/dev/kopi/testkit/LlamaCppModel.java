package dev.kopi.testkit;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A GGUF model loaded by the prebuilt libllama, with one context, for use as the reference in parity tests and
 * benchmarks: evaluate token batches, read the logits of any position, time prompt processing and generation as
 * {@code llama-bench} does, and quantize files with {@code llama_model_quantize}.
 *
 * <p>The structs passed by value ({@code llama_model_params}, {@code llama_context_params}, {@code llama_batch},
 * {@code llama_model_quantize_params}) are declared member by member after {@code include/llama.h} of the
 * release the libraries were built from; {@link #checkStructLayouts()} compares the library's defaults with that
 * header's documented defaults at the offsets used, so a layout drift fails loudly instead of corrupting memory.
 *
 * <p>Not thread-safe: one caller at a time per instance.
 */
public final class LlamaCppModel implements AutoCloseable {

    /** {@code enum ggml_type} values used for the KV cache. */
    public enum CacheType {
        F32(0), F16(1);

        final int ggmlType;

        CacheType(int ggmlType) {
            this.ggmlType = ggmlType;
        }
    }

    /**
     * How to create the context.
     *
     * @param contextLength {@code n_ctx}
     * @param batchSize     {@code n_batch}: the most tokens one {@link #decode} call may pass
     * @param microBatch    {@code n_ubatch}
     * @param threads       threads for generation and for batches
     * @param cache         KV cache element type ({@code llama-bench} uses F16; F32 is closer to exact arithmetic)
     */
    public record Options(int contextLength, int batchSize, int microBatch, int threads, CacheType cache) {
        /** {@code llama-bench}'s defaults: n_batch 2048, n_ubatch 512, F16 cache. */
        public static Options bench(int contextLength, int threads) {
            return new Options(contextLength, 2048, 512, threads, CacheType.F16);
        }

        /** For comparing logits: every position's logits, an F32 cache. */
        public static Options logits(int contextLength, int threads) {
            return new Options(contextLength, contextLength, Math.min(contextLength, 512), threads, CacheType.F32);
        }
    }

    // ---- struct layouts (include/llama.h at 80fb11a; sizes checked against a C compiler: 80, 160, 56, 64) ----

    static final StructLayout MODEL_PARAMS = MemoryLayout.structLayout(
            ADDRESS.withName("devices"),
            ADDRESS.withName("tensor_buft_overrides"),
            JAVA_INT.withName("n_gpu_layers"),
            JAVA_INT.withName("split_mode"),
            JAVA_INT.withName("load_mode"),
            JAVA_INT.withName("lazy_mode"),
            JAVA_INT.withName("main_gpu"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("tensor_split"),
            ADDRESS.withName("progress_callback"),
            ADDRESS.withName("progress_callback_user_data"),
            ADDRESS.withName("kv_overrides"),
            JAVA_BOOLEAN.withName("vocab_only"),
            JAVA_BOOLEAN.withName("check_tensors"),
            JAVA_BOOLEAN.withName("use_extra_bufts"),
            JAVA_BOOLEAN.withName("no_host"),
            JAVA_BOOLEAN.withName("no_alloc"),
            JAVA_BOOLEAN.withName("load_mtp"),
            MemoryLayout.paddingLayout(2));

    static final StructLayout CONTEXT_PARAMS = MemoryLayout.structLayout(
            JAVA_INT.withName("n_ctx"),
            JAVA_INT.withName("n_batch"),
            JAVA_INT.withName("n_ubatch"),
            JAVA_INT.withName("n_seq_max"),
            JAVA_INT.withName("n_rs_seq"),
            JAVA_INT.withName("n_outputs_max"),
            JAVA_INT.withName("n_outputs_max_per_seq"),
            JAVA_INT.withName("n_threads"),
            JAVA_INT.withName("n_threads_batch"),
            JAVA_INT.withName("ctx_type"),
            JAVA_INT.withName("rope_scaling_type"),
            JAVA_INT.withName("pooling_type"),
            JAVA_INT.withName("attention_type"),
            JAVA_INT.withName("flash_attn_type"),
            JAVA_FLOAT.withName("rope_freq_base"),
            JAVA_FLOAT.withName("rope_freq_scale"),
            JAVA_FLOAT.withName("yarn_ext_factor"),
            JAVA_FLOAT.withName("yarn_attn_factor"),
            JAVA_FLOAT.withName("yarn_beta_fast"),
            JAVA_FLOAT.withName("yarn_beta_slow"),
            JAVA_INT.withName("yarn_orig_ctx"),
            JAVA_FLOAT.withName("defrag_thold"),
            ADDRESS.withName("cb_eval"),
            ADDRESS.withName("cb_eval_user_data"),
            JAVA_INT.withName("type_k"),
            JAVA_INT.withName("type_v"),
            ADDRESS.withName("abort_callback"),
            ADDRESS.withName("abort_callback_data"),
            JAVA_BOOLEAN.withName("embeddings"),
            JAVA_BOOLEAN.withName("offload_kqv"),
            JAVA_BOOLEAN.withName("no_perf"),
            JAVA_BOOLEAN.withName("op_offload"),
            JAVA_BOOLEAN.withName("swa_full"),
            JAVA_BOOLEAN.withName("kv_unified"),
            MemoryLayout.paddingLayout(2),
            ADDRESS.withName("samplers"),
            JAVA_LONG.withName("n_samplers"),
            ADDRESS.withName("ctx_other"));

    static final StructLayout BATCH = MemoryLayout.structLayout(
            JAVA_INT.withName("n_tokens"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("token"),
            ADDRESS.withName("embd"),
            ADDRESS.withName("pos"),
            ADDRESS.withName("n_seq_id"),
            ADDRESS.withName("seq_id"),
            ADDRESS.withName("logits"));

    static final StructLayout QUANTIZE_PARAMS = MemoryLayout.structLayout(
            JAVA_INT.withName("nthread"),
            JAVA_INT.withName("ftype"),
            JAVA_INT.withName("output_tensor_type"),
            JAVA_INT.withName("token_embedding_type"),
            JAVA_BOOLEAN.withName("allow_requantize"),
            JAVA_BOOLEAN.withName("quantize_output_tensor"),
            JAVA_BOOLEAN.withName("only_copy"),
            JAVA_BOOLEAN.withName("pure"),
            JAVA_BOOLEAN.withName("keep_split"),
            JAVA_BOOLEAN.withName("dry_run"),
            MemoryLayout.paddingLayout(2),
            ADDRESS.withName("imatrix"),
            ADDRESS.withName("kv_overrides"),
            ADDRESS.withName("tt_overrides"),
            ADDRESS.withName("prune_layers"),
            JAVA_LONG.withName("max_buf_size"));

    private static final class Api {
        final MethodHandle modelDefaultParams = down("llama_model_default_params", FunctionDescriptor.of(MODEL_PARAMS));
        final MethodHandle contextDefaultParams = down("llama_context_default_params", FunctionDescriptor.of(CONTEXT_PARAMS));
        final MethodHandle quantizeDefaultParams = down("llama_model_quantize_default_params", FunctionDescriptor.of(QUANTIZE_PARAMS));
        final MethodHandle backendInit = down("llama_backend_init", FunctionDescriptor.ofVoid());
        final MethodHandle logSet = down("llama_log_set", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        final MethodHandle modelLoad = down("llama_model_load_from_file", FunctionDescriptor.of(ADDRESS, ADDRESS, MODEL_PARAMS));
        final MethodHandle modelFree = down("llama_model_free", FunctionDescriptor.ofVoid(ADDRESS));
        final MethodHandle initFromModel = down("llama_init_from_model", FunctionDescriptor.of(ADDRESS, ADDRESS, CONTEXT_PARAMS));
        final MethodHandle free = down("llama_free", FunctionDescriptor.ofVoid(ADDRESS));
        final MethodHandle getVocab = down("llama_model_get_vocab", FunctionDescriptor.of(ADDRESS, ADDRESS));
        final MethodHandle vocabTokens = down("llama_vocab_n_tokens", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        final MethodHandle vocabAddBos = down("llama_vocab_get_add_bos", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));
        final MethodHandle vocabBos = down("llama_vocab_bos", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        final MethodHandle modelSize = down("llama_model_size", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        final MethodHandle modelParams = down("llama_model_n_params", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        final MethodHandle modelDesc = down("llama_model_desc", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        final MethodHandle getMemory = down("llama_get_memory", FunctionDescriptor.of(ADDRESS, ADDRESS));
        final MethodHandle memoryClear = down("llama_memory_clear", FunctionDescriptor.ofVoid(ADDRESS, JAVA_BOOLEAN));
        final MethodHandle decode = down("llama_decode", FunctionDescriptor.of(JAVA_INT, ADDRESS, BATCH));
        final MethodHandle synchronize = down("llama_synchronize", FunctionDescriptor.ofVoid(ADDRESS));
        final MethodHandle setThreads = down("llama_set_n_threads", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT));
        final MethodHandle logitsIth = down("llama_get_logits_ith", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        final MethodHandle quantize = down("llama_model_quantize", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));

        private static MethodHandle down(String name, FunctionDescriptor descriptor) {
            return LlamaCppLibrary.get().downcall(name, descriptor);
        }
    }

    /** The last warnings and errors libllama logged, quoted in exceptions; its chatter is dropped. */
    private static final Deque<String> RECENT_PROBLEMS = new ArrayDeque<>();
    private static final int GGML_LOG_LEVEL_WARN = 3;
    private static final int GGML_LOG_LEVEL_CONT = 5;
    private static volatile Api api;

    private static Api api() {
        Api a = api;
        if (a == null) {
            synchronized (LlamaCppModel.class) {
                a = api;
                if (a == null) {
                    a = new Api();
                    try {
                        a.backendInit.invokeExact();
                        MethodHandle log = MethodHandles.lookup().findStatic(LlamaCppModel.class, "onLog",
                                MethodType.methodType(void.class, int.class, MemorySegment.class, MemorySegment.class));
                        MemorySegment stub = Linker.nativeLinker().upcallStub(log,
                                FunctionDescriptor.ofVoid(JAVA_INT, ADDRESS, ADDRESS), Arena.global());
                        a.logSet.invokeExact(stub, MemorySegment.NULL);
                    } catch (Throwable t) {
                        throw new IllegalStateException("initialising libllama failed", t);
                    }
                    checkStructLayouts(a);
                    api = a;
                }
            }
        }
        return a;
    }

    private static int lastLevel;

    @SuppressWarnings("unused") // called by libllama through the upcall stub
    private static void onLog(int level, MemorySegment text, MemorySegment userData) {
        int effective = level == GGML_LOG_LEVEL_CONT ? lastLevel : level;
        lastLevel = effective;
        if (effective >= GGML_LOG_LEVEL_WARN && !text.equals(MemorySegment.NULL)) {
            String line = text.reinterpret(Long.MAX_VALUE).getString(0).strip();
            synchronized (RECENT_PROBLEMS) {
                if (RECENT_PROBLEMS.size() == 8) {
                    RECENT_PROBLEMS.removeFirst();
                }
                RECENT_PROBLEMS.addLast(line);
            }
        }
    }

    private static void forgetProblems() {
        synchronized (RECENT_PROBLEMS) {
            RECENT_PROBLEMS.clear();
        }
    }

    private static String recentProblems() {
        synchronized (RECENT_PROBLEMS) {
            return RECENT_PROBLEMS.isEmpty() ? "(libllama logged nothing)" : String.join(" | ", RECENT_PROBLEMS);
        }
    }

    /** Compares the library's default parameters with llama.h's documented defaults at the offsets kopi writes. */
    static void checkStructLayouts(Api a) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment model = (MemorySegment) a.modelDefaultParams.invokeExact((SegmentAllocator) arena);
            MemorySegment context = (MemorySegment) a.contextDefaultParams.invokeExact((SegmentAllocator) arena);
            MemorySegment quant = (MemorySegment) a.quantizeDefaultParams.invokeExact((SegmentAllocator) arena);
            boolean ok = MODEL_PARAMS.byteSize() == 80 && CONTEXT_PARAMS.byteSize() == 160
                    && BATCH.byteSize() == 56 && QUANTIZE_PARAMS.byteSize() == 64
                    && model.get(JAVA_INT, offset(MODEL_PARAMS, "n_gpu_layers")) == -1
                    && model.get(JAVA_BOOLEAN, offset(MODEL_PARAMS, "use_extra_bufts"))
                    && context.get(JAVA_INT, offset(CONTEXT_PARAMS, "n_ctx")) == 512
                    && context.get(JAVA_INT, offset(CONTEXT_PARAMS, "n_batch")) == 2048
                    && context.get(JAVA_INT, offset(CONTEXT_PARAMS, "n_ubatch")) == 512
                    && context.get(JAVA_INT, offset(CONTEXT_PARAMS, "n_outputs_max_per_seq")) == 1
                    && context.get(JAVA_FLOAT, offset(CONTEXT_PARAMS, "defrag_thold")) == -1f
                    && context.get(JAVA_INT, offset(CONTEXT_PARAMS, "type_k")) == CacheType.F16.ggmlType
                    && context.get(JAVA_INT, offset(CONTEXT_PARAMS, "type_v")) == CacheType.F16.ggmlType
                    && context.get(JAVA_BOOLEAN, offset(CONTEXT_PARAMS, "offload_kqv"))
                    && context.get(JAVA_BOOLEAN, offset(CONTEXT_PARAMS, "swa_full"))
                    && quant.get(JAVA_INT, offset(QUANTIZE_PARAMS, "ftype")) == 7 // LLAMA_FTYPE_MOSTLY_Q8_0
                    && quant.get(JAVA_BOOLEAN, offset(QUANTIZE_PARAMS, "quantize_output_tensor"));
            if (!ok) {
                throw new AssertionError("libllama's parameter structs do not match the layouts declared from llama.h;"
                        + " the prebuilt library and include/llama.h are from different releases");
            }
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static long offset(StructLayout layout, String field) {
        return layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    // ---- instance ----

    private final Api a = api();
    private final Arena arena = Arena.ofShared();
    private final Path path;
    private final Options options;
    private final MemorySegment model;
    private final MemorySegment context;
    private final MemorySegment vocab;
    private final int vocabSize;
    /** Reused batch arrays, sized for {@code options.batchSize()} tokens. */
    private final MemorySegment tokens;
    private final MemorySegment positions;
    private final MemorySegment seqIdCounts;
    private final MemorySegment seqIdPointers;
    private final MemorySegment outputFlags;
    private final MemorySegment batch;
    private int threads;

    private LlamaCppModel(Path path, Options options) {
        this.path = path;
        this.options = options;
        forgetProblems();
        try {
            MemorySegment mp = (MemorySegment) a.modelDefaultParams.invokeExact((SegmentAllocator) arena);
            mp.set(JAVA_INT, offset(MODEL_PARAMS, "n_gpu_layers"), 0);
            this.model = (MemorySegment) a.modelLoad.invokeExact(arena.allocateFrom(path.toString()), mp);
            if (model.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("libllama could not load " + path + ": " + recentProblems());
            }
            MemorySegment cp = (MemorySegment) a.contextDefaultParams.invokeExact((SegmentAllocator) arena);
            cp.set(JAVA_INT, offset(CONTEXT_PARAMS, "n_ctx"), options.contextLength());
            cp.set(JAVA_INT, offset(CONTEXT_PARAMS, "n_batch"), options.batchSize());
            cp.set(JAVA_INT, offset(CONTEXT_PARAMS, "n_ubatch"), options.microBatch());
            cp.set(JAVA_INT, offset(CONTEXT_PARAMS, "n_outputs_max_per_seq"), 0); // logits for every position
            cp.set(JAVA_INT, offset(CONTEXT_PARAMS, "n_threads"), options.threads());
            cp.set(JAVA_INT, offset(CONTEXT_PARAMS, "n_threads_batch"), options.threads());
            cp.set(JAVA_INT, offset(CONTEXT_PARAMS, "type_k"), options.cache().ggmlType);
            cp.set(JAVA_INT, offset(CONTEXT_PARAMS, "type_v"), options.cache().ggmlType);
            cp.set(JAVA_BOOLEAN, offset(CONTEXT_PARAMS, "no_perf"), false);
            MemorySegment ctx = (MemorySegment) a.initFromModel.invokeExact(model, cp);
            if (ctx.equals(MemorySegment.NULL)) {
                a.modelFree.invokeExact(model);
                throw new IllegalStateException("libllama could not create a context for " + path + ": " + recentProblems());
            }
            this.context = ctx;
            this.vocab = (MemorySegment) a.getVocab.invokeExact(model);
            this.vocabSize = (int) a.vocabTokens.invokeExact(vocab);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new IllegalStateException(t);
        }
        this.threads = options.threads();
        int n = options.batchSize();
        this.tokens = arena.allocate(JAVA_INT, n);
        this.positions = arena.allocate(JAVA_INT, n);
        this.seqIdCounts = arena.allocate(JAVA_INT, n);
        this.seqIdPointers = arena.allocate(ADDRESS, n);
        this.outputFlags = arena.allocate(JAVA_BYTE, n);
        MemorySegment sequenceZero = arena.allocate(JAVA_INT); // every token belongs to sequence 0
        for (int i = 0; i < n; i++) {
            seqIdCounts.setAtIndex(JAVA_INT, i, 1);
            seqIdPointers.setAtIndex(ADDRESS, i, sequenceZero);
        }
        this.batch = arena.allocate(BATCH);
        batch.set(ADDRESS, offset(BATCH, "token"), tokens);
        batch.set(ADDRESS, offset(BATCH, "embd"), MemorySegment.NULL);
        batch.set(ADDRESS, offset(BATCH, "pos"), positions);
        batch.set(ADDRESS, offset(BATCH, "n_seq_id"), seqIdCounts);
        batch.set(ADDRESS, offset(BATCH, "seq_id"), seqIdPointers);
        batch.set(ADDRESS, offset(BATCH, "logits"), outputFlags);
    }

    /** Loads {@code gguf} on the CPU and creates a context. */
    public static LlamaCppModel load(Path gguf, Options options) {
        return new LlamaCppModel(gguf, options);
    }

    public Path path() {
        return path;
    }

    public Options options() {
        return options;
    }

    /** Tokens in the model's vocabulary. */
    public int vocabSize() {
        return vocabSize;
    }

    /** {@code llama_model_size}: bytes of all weight tensors. */
    public long sizeBytes() {
        return call(() -> (long) a.modelSize.invokeExact(model));
    }

    /** {@code llama_model_n_params}. */
    public long parameterCount() {
        return call(() -> (long) a.modelParams.invokeExact(model));
    }

    /** {@code llama_model_desc}, e.g. {@code "qwen3 0.6B Q8_0"}: llama-bench's {@code model_type}. */
    public String description() {
        return call(() -> {
            MemorySegment buf = arena.allocate(128);
            int n = (int) a.modelDesc.invokeExact(model, buf, 128L);
            return new String(buf.asSlice(0, Math.max(0, Math.min(n, 127))).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
        });
    }

    /** The token llama-bench starts each test with: BOS if the vocabulary adds one, else {@code fallback}. */
    public int firstToken(int fallback) {
        return call(() -> (boolean) a.vocabAddBos.invokeExact(vocab) ? (int) a.vocabBos.invokeExact(vocab) : fallback);
    }

    /** Forgets every position: the next {@link #decode} starts at position 0. */
    public void clear() {
        call(() -> {
            MemorySegment memory = (MemorySegment) a.getMemory.invokeExact(context);
            a.memoryClear.invokeExact(memory, false);
            return null;
        });
    }

    /** Sets the threads for generation and for batches ({@code llama_set_n_threads}). */
    public void setThreads(int n) {
        if (n != threads) {
            call(() -> {
                a.setThreads.invokeExact(context, n, n);
                return null;
            });
            threads = n;
        }
    }

    /**
     * Evaluates {@code count} tokens from {@code from} at positions {@code firstPosition...}; with
     * {@code allLogits} every position's logits are kept, otherwise the last one's.
     */
    public void decode(int[] ids, int from, int count, int firstPosition, boolean allLogits) {
        if (count < 1 || count > options.batchSize()) {
            throw new IllegalArgumentException("batch of " + count + " tokens; the context takes 1.." + options.batchSize());
        }
        for (int i = 0; i < count; i++) {
            tokens.setAtIndex(JAVA_INT, i, ids[from + i]);
            positions.setAtIndex(JAVA_INT, i, firstPosition + i);
            outputFlags.set(JAVA_BYTE, i, (byte) (allLogits || i == count - 1 ? 1 : 0));
        }
        batch.set(JAVA_INT, 0, count);
        int result = call(() -> (int) a.decode.invokeExact(context, batch));
        if (result != 0) {
            throw new IllegalStateException("llama_decode returned " + result + ": " + recentProblems());
        }
    }

    /** Waits for the last {@link #decode} to finish computing ({@code llama_synchronize}). */
    public void synchronize() {
        call(() -> {
            a.synchronize.invokeExact(context);
            return null;
        });
    }

    /** The logits of the {@code i}-th token of the last batch ({@code -1}: the last one). */
    public float[] logits(int i) {
        MemorySegment p = call(() -> (MemorySegment) a.logitsIth.invokeExact(context, i));
        if (p.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("llama_get_logits_ith(" + i + ") gave no logits: " + recentProblems());
        }
        return p.reinterpret((long) vocabSize * Float.BYTES).toArray(JAVA_FLOAT);
    }

    /**
     * Clears the context, evaluates {@code ids} from position 0 in batches of at most {@code options.batchSize()}
     * and returns the logits of every position.
     */
    public float[][] allLogits(int[] ids) {
        clear();
        float[][] out = new float[ids.length][];
        for (int start = 0; start < ids.length; start += options.batchSize()) {
            int n = Math.min(options.batchSize(), ids.length - start);
            decode(ids, start, n, start, true);
            for (int i = 0; i < n; i++) {
                out[start + i] = logits(i);
            }
        }
        return out;
    }

    /**
     * Quantizes {@code input} into {@code output} with {@code llama_model_quantize}.
     *
     * @param ftype {@code enum llama_ftype}, e.g. 7 = Q8_0, 2 = Q4_0, 15 = Q4_K_M
     */
    public static void quantize(Path input, Path output, int ftype, int threads) {
        Api a = api();
        forgetProblems();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = (MemorySegment) a.quantizeDefaultParams.invokeExact((SegmentAllocator) arena);
            params.set(JAVA_INT, offset(QUANTIZE_PARAMS, "nthread"), threads);
            params.set(JAVA_INT, offset(QUANTIZE_PARAMS, "ftype"), ftype);
            int rc = (int) a.quantize.invokeExact(arena.allocateFrom(input.toString()),
                    arena.allocateFrom(output.toString()), params);
            if (rc != 0) {
                throw new IllegalStateException("llama_model_quantize(" + input + ", ftype " + ftype + ") returned "
                        + rc + ": " + recentProblems());
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        call(() -> {
            a.free.invokeExact(context);
            a.modelFree.invokeExact(model);
            return null;
        });
        arena.close();
    }

    @FunctionalInterface
    private interface NativeCall<T> {
        T run() throws Throwable;
    }

    private static <T> T call(NativeCall<T> body) {
        try {
            return body.run();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
