package dev.kopi.gguf;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An open model file, or set of shards, that holds named tensors: a {@link GgufFile} or a {@link dev.kopi.safetensors.SafetensorsFile}.
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
}
