package dev.kopi.testkit;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * llama.cpp's tokenizer as a test oracle: a GGUF loaded vocabulary-only ({@code vocab_only = true}) through FFM,
 * and {@code llama_tokenize} on it. Thread-safe for tokenizing, as llama.cpp documents.
 */
public final class LlamaCppVocab implements AutoCloseable {
    private static volatile Functions functions;

    private final MemorySegment model;
    private final MemorySegment vocab;

    private record Functions(MethodHandle defaultParams, MethodHandle load, MethodHandle free,
            MethodHandle getVocab, MethodHandle nTokens, MethodHandle tokenize) {}

    private static Functions functions() {
        Functions f = functions;
        if (f == null) {
            synchronized (LlamaCppVocab.class) {
                f = functions;
                if (f == null) {
                    LlamaCppLibrary lib = LlamaCppLibrary.get();
                    silenceLogging(lib);
                    try {
                        lib.downcall("llama_backend_init", FunctionDescriptor.ofVoid()).invokeExact();
                    } catch (Throwable t) {
                        throw new IllegalStateException("llama_backend_init failed", t);
                    }
                    functions = f = new Functions(
                            lib.downcall("llama_model_default_params", FunctionDescriptor.of(LlamaCppModel.MODEL_PARAMS)),
                            lib.downcall("llama_model_load_from_file", FunctionDescriptor.of(ADDRESS, ADDRESS, LlamaCppModel.MODEL_PARAMS)),
                            lib.downcall("llama_model_free", FunctionDescriptor.ofVoid(ADDRESS)),
                            lib.downcall("llama_model_get_vocab", FunctionDescriptor.of(ADDRESS, ADDRESS)),
                            lib.downcall("llama_vocab_n_tokens", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
                            lib.downcall("llama_tokenize", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT,
                                    ADDRESS, JAVA_INT, JAVA_BOOLEAN, JAVA_BOOLEAN)));
                }
            }
        }
        return f;
    }

    /** Routes llama.cpp's log output (several lines per loaded vocabulary) to nowhere. */
    private static void silenceLogging(LlamaCppLibrary lib) {
        try {
            MethodHandle ignore = MethodHandles.lookup().findStatic(LlamaCppVocab.class, "ignoreLog",
                    MethodType.methodType(void.class, int.class, MemorySegment.class, MemorySegment.class));
            MemorySegment callback = Linker.nativeLinker().upcallStub(ignore,
                    FunctionDescriptor.ofVoid(JAVA_INT, ADDRESS, ADDRESS), Arena.global());
            lib.downcall("llama_log_set", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS))
                    .invokeExact(callback, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new IllegalStateException("llama_log_set failed", t);
        }
    }

    @SuppressWarnings("unused") // called from native code
    private static void ignoreLog(int level, MemorySegment text, MemorySegment userData) {}

    private LlamaCppVocab(MemorySegment model, MemorySegment vocab) {
        this.model = model;
        this.vocab = vocab;
    }

    /** Loads the vocabulary of a GGUF file; fails if llama.cpp cannot. */
    public static LlamaCppVocab load(Path gguf) {
        Functions f = functions();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = (MemorySegment) f.defaultParams.invokeExact((java.lang.foreign.SegmentAllocator) arena);
            params.set(JAVA_BOOLEAN, LlamaCppModel.MODEL_PARAMS.byteOffset(MemoryLayout.PathElement.groupElement("vocab_only")), true);
            MemorySegment model = (MemorySegment) f.load.invokeExact(arena.allocateFrom(gguf.toString()), params);
            if (model.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("llama.cpp could not load the vocabulary of " + gguf);
            }
            MemorySegment vocab = (MemorySegment) f.getVocab.invokeExact(model);
            return new LlamaCppVocab(model, vocab);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("llama_model_load_from_file failed for " + gguf, t);
        }
    }

    /** The number of tokens in the vocabulary. */
    public int size() {
        try {
            return (int) functions().nTokens.invokeExact(vocab);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * llama.cpp's ids for {@code text} (sent as UTF-8). {@code addSpecial} adds BOS/EOS as the vocabulary is
     * configured; {@code parseSpecial} recognises control and user-defined tokens written in the text.
     */
    public int[] tokenize(String text, boolean addSpecial, boolean parseSpecial) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(Math.max(1, utf8.length));
            MemorySegment.copy(utf8, 0, bytes, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, utf8.length);
            int capacity = utf8.length + 8;
            MemorySegment ids = arena.allocate(JAVA_INT, capacity);
            int n = (int) functions().tokenize.invokeExact(vocab, bytes, utf8.length, ids, capacity, addSpecial,
                    parseSpecial);
            if (n < 0) {
                throw new IllegalStateException("llama_tokenize failed (" + n + ")");
            }
            return ids.asSlice(0, (long) n * Integer.BYTES).toArray(JAVA_INT);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("llama_tokenize failed", t);
        }
    }

    @Override
    public void close() {
        try {
            functions().free.invokeExact(model);
        } catch (Throwable t) {
            throw new IllegalStateException("llama_model_free failed", t);
        }
    }
}
