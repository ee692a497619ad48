package dev.kopi.engine.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import dev.kopi.engine.Batch;
import dev.kopi.engine.KvCache;
import dev.kopi.engine.Model;
import dev.kopi.engine.ModelLoader;
import dev.kopi.engine.synth.FileType;
import dev.kopi.gguf.GgufFile;
import dev.kopi.gguf.GgufMetadata;
import dev.kopi.gguf.GgufTensor;

/**
 * kopi's engine as a {@link BenchTarget}: the model file is mapped once per thread count (the engine's worker
 * pool is fixed at load), with one sequence of {@code contextLength} positions.
 */
public final class EngineBenchTarget implements BenchTarget, AutoCloseable {
    private final Path path;
    private final int contextLength;
    private final String modelType;
    private final long modelSize;
    private final long parameterCount;
    /** The BOS id where the tokenizer adds one (Llama 3, Gemma), else -1. */
    private final int bos;
    private Model model;
    private KvCache cache;
    private int threads;

    /**
     * @param contextLength positions the KV cache holds: at least the longest test's prompt plus generation
     */
    public EngineBenchTarget(Path path, int contextLength, int threads) {
        this.path = path;
        this.contextLength = contextLength;
        try (GgufFile file = GgufFile.open(path)) {
            GgufMetadata meta = file.metadata();
            long size = 0, params = 0;
            for (GgufTensor t : file.tensors()) {
                size += t.byteSize();
                params += t.elementCount();
            }
            this.modelSize = size;
            this.parameterCount = params;
            this.modelType = describe(meta);
            this.bos = meta.findBool("tokenizer.ggml.add_bos_token").orElse(false)
                    ? meta.findInt("tokenizer.ggml.bos_token_id").orElse(-1) : -1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
        setThreads(threads);
    }

    /** As llama.cpp's {@code llama_model_desc}: architecture, size class, file type, e.g. {@code qwen3 0.6B Q8_0}. */
    static String describe(GgufMetadata meta) {
        String arch = meta.findString("general.architecture").orElse("unknown");
        int layers = meta.findInt(arch + ".block_count").orElse(0);
        int width = meta.findInt(arch + ".embedding_length").orElse(0);
        String size = switch (arch) {
            case "qwen3" -> switch (layers) {
                case 28 -> width == 1024 ? "0.6B" : "1.7B";
                case 36 -> width == 2560 ? "4B" : "8B";
                case 40 -> "14B";
                case 64 -> "32B";
                default -> "?B";
            };
            case "llama" -> layers == 32 ? "8B" : layers == 80 ? "70B" : "?B";
            case "apertus" -> layers == 32 ? "8B" : "?B";
            case "gemma3" -> switch (layers) {
                case 26 -> "1B";
                case 34 -> "4B";
                case 48 -> "12B";
                case 62 -> "27B";
                default -> "?B";
            };
            case "gemma2" -> layers == 26 ? "2B" : layers == 42 ? "9B" : layers == 46 ? "27B" : "?B";
            default -> "?B";
        };
        String type = meta.findInt("general.file_type").stream().boxed()
                .flatMap(id -> FileType.fromId(id).stream()).map(FileType::displayName).findFirst().orElse("?");
        return arch + " " + size + " " + type;
    }

    @Override
    public String modelType() {
        return modelType;
    }

    @Override
    public long modelSize() {
        return modelSize;
    }

    @Override
    public long parameterCount() {
        return parameterCount;
    }

    @Override
    public int vocabSize() {
        return model.vocabularySize();
    }

    @Override
    public int firstToken(int fallback) {
        return bos >= 0 ? bos : fallback;
    }

    @Override
    public void setThreads(int n) {
        if (model != null && n == threads) {
            return;
        }
        if (model != null) {
            model.close();
        }
        model = ModelLoader.load(path, n);
        cache = model.newCache(1, contextLength);
        threads = n;
    }

    @Override
    public void clear() {
        cache.clear(0);
    }

    @Override
    public void evaluate(int[] tokens, int from, int count, int firstPosition) {
        int[] ids = java.util.Arrays.copyOfRange(tokens, from, from + count);
        model.forward(Batch.of(0, firstPosition, ids, false), cache);
    }

    @Override
    public void close() {
        model.close();
    }
}
