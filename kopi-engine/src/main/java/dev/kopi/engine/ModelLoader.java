package dev.kopi.engine;

import dev.kopi.gguf.GgufArray;
import dev.kopi.gguf.GgufFile;
import dev.kopi.gguf.GgufTensor;
import dev.kopi.gguf.GgufValueType;
import dev.kopi.kernels.WorkerPool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Opens a GGUF model file and builds the forward pass its {@code general.architecture} names. Tensors stay in
 * the memory-mapped file; only the small norm vectors are copied.
 */
public final class ModelLoader {
    private ModelLoader() {
    }

    /** Loads {@code path} with one worker thread per available processor. */
    public static Model load(Path path) {
        return load(path, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Loads {@code path}, running the forward pass on {@code threads} threads.
     *
     * @throws ModelException naming the key or tensor if the file is not a model kopi can run
     * @throws UncheckedIOException if the file cannot be read
     */
    public static Model load(Path path, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        }
        GgufFile file;
        try {
            file = GgufFile.open(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
        WorkerPool pool = null;
        try {
            ModelConfig config = ModelConfig.fromMetadata(metadata(file));
            Weights weights = weights(file);
            pool = new WorkerPool(threads);
            return switch (config.architecture()) {
                case QWEN3, LLAMA -> new LlamaModel(config, weights, pool, file);
                case APERTUS -> new ApertusModel(config, weights, pool, file);
                case GEMMA2, GEMMA3 -> new GemmaModel(config, weights, pool, file);
            };
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            file.close();
            throw e;
        }
    }

    /** The file's metadata; per-layer arrays are handed over as {@code int[]} or {@code float[]}. */
    static MetadataView metadata(GgufFile file) {
        return new MetadataView(key -> {
            Object v = file.metadata().find(key).orElse(null);
            if (v instanceof GgufArray array) {
                return array.elementType().isInteger() ? array.toIntArray()
                        : array.elementType() == GgufValueType.FLOAT32 || array.elementType() == GgufValueType.FLOAT64
                        ? array.toFloatArray() : array;
            }
            return v;
        });
    }

    private static Weights weights(GgufFile file) {
        Map<String, WeightTensor> tensors = new HashMap<>();
        for (GgufTensor t : file.tensors()) {
            var type = t.ggmlType().orElseThrow(() -> new ModelException("tensor " + t.name()
                    + " has the tensor type " + t.typeName() + ", which kopi does not support"));
            tensors.put(t.name(), new WeightTensor(t.name(), type, t.ne(), t.data()));
        }
        return new Weights(tensors);
    }
}
