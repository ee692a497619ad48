package dev.kopi.gguf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import dev.kopi.safetensors.SafetensorsFile;

/**
 * An open model file, or set of shards, that holds named tensors: a {@link GgufFile} or a {@link SafetensorsFile}.
 * Closing it unmaps the files; the tensors' data segments are invalid afterwards.
 */
public interface TensorFile extends AutoCloseable {
    /** All tensors, in file order (shard by shard). */
    List<? extends Tensor> tensors();

    /** The tensor named {@code name}, if there is one. */
    Optional<? extends Tensor> findTensor(String name);

    /**
     * The tensor named {@code name}.
     *
     * @throws ModelFormatException naming the tensor and the file if there is no such tensor
     */
    Tensor tensor(String name);

    /** The files this view maps: one, or every shard of a split model in order. */
    List<Path> files();

    /** Unmaps the files. */
    @Override
    void close();

    /**
     * Opens a model file of either format, judged by its content (GGUF starts with the magic {@code GGUF}):
     * a GGUF file (a shard of a split model opens all shards), a {@code .safetensors} file, a
     * {@code model.safetensors.index.json}, or a folder holding {@code model.safetensors} or that index.
     *
     * @throws ModelFormatException if the file is malformed
     * @throws IOException if it cannot be read
     */
    static TensorFile open(Path path) throws IOException {
        if (!Files.isDirectory(path) && GgufFile.hasGgufMagic(path)) {
            return GgufFile.open(path);
        }
        return SafetensorsFile.open(path);
    }
}
