package dev.kopi.safetensors;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import dev.kopi.gguf.GgmlType;
import dev.kopi.gguf.Tensor;

/**
 * A tensor of a safetensors file: name, dtype, row-major {@link #shape()} as the header stores it, and its data
 * as a zero-copy little-endian slice of the mapped file, valid while its {@link SafetensorsFile} is open.
 */
public final class SafetensorsTensor implements Tensor {
    private final String name;
    private final SafetensorsDType dtype;
    private final long[] shape;
    private final long elementCount;
    private final long begin;
    private final Path file;
    private final MemorySegment data;

    SafetensorsTensor(String name, SafetensorsDType dtype, long[] shape, long elementCount, long begin, Path file,
                      MemorySegment data) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.elementCount = elementCount;
        this.begin = begin;
        this.file = file;
        this.data = data;
    }

    @Override
    public String name() {
        return name;
    }

    public SafetensorsDType dtype() {
        return dtype;
    }

    @Override
    public String typeName() {
        return dtype.name();
    }

    @Override
    public Optional<GgmlType> ggmlType() {
        return dtype.ggmlType();
    }

    /** Row-major dimensions, slowest first, as the header stores them; a fresh copy. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** ggml-order dimensions: {@link #shape()} reversed, so {@code ne[0]} is the row length. */
    @Override
    public long[] ne() {
        long[] ne = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            ne[i] = shape[shape.length - 1 - i];
        }
        return ne;
    }

    @Override
    public long elementCount() {
        return elementCount;
    }

    /** Start of the data relative to the file's data section, the header's {@code data_offsets[0]}. */
    public long dataOffset() {
        return begin;
    }

    /** The file holding this tensor (a shard, for a sharded checkpoint). */
    public Path file() {
        return file;
    }

    @Override
    public MemorySegment data() {
        return data;
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape);
    }
}
