package dev.kopi.gguf;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Optional;

/**
 * A tensor of a GGUF file: its name, ggml type, dimensions ({@code ne[0]} fastest, see {@link Tensor}) and
 * its data as a zero-copy slice of the mapped file. Valid while its {@link GgufFile} is open.
 */
public final class GgufTensor implements Tensor {
    private final String name;
    private final GgmlType type;
    private final long[] ne;
    private final long elementCount;
    private final long dataOffset;
    private final long fileOffset;
    private final int shard;
    private final MemorySegment data;

    GgufTensor(String name, GgmlType type, long[] ne, long elementCount, long dataOffset, long fileOffset,
               int shard, MemorySegment data) {
        this.name = name;
        this.type = type;
        this.ne = ne.clone();
        this.elementCount = elementCount;
        this.dataOffset = dataOffset;
        this.fileOffset = fileOffset;
        this.shard = shard;
        this.data = data;
    }

    @Override
    public String name() {
        return name;
    }

    /** The ggml type of the elements. */
    public GgmlType type() {
        return type;
    }

    @Override
    public String typeName() {
        return type.name();
    }

    @Override
    public Optional<GgmlType> ggmlType() {
        return Optional.of(type);
    }

    @Override
    public long[] ne() {
        return ne.clone();
    }

    /** The number of dimensions the file declares (0 to 4). */
    public int dimensionCount() {
        return ne.length;
    }

    /** Dimension {@code i} in ggml order ({@code ne(0)} is the row length); 1 beyond the declared ones, as in ggml. */
    public long ne(int i) {
        if (i < 0) {
            throw new IndexOutOfBoundsException("dimension " + i);
        }
        return i < ne.length ? ne[i] : 1;
    }

    @Override
    public long elementCount() {
        return elementCount;
    }

    @Override
    public long byteSize() {
        return data.byteSize();
    }

    /** Offset of the data from the start of its shard's data section, as the tensor info stores it. */
    public long dataOffset() {
        return dataOffset;
    }

    /** Absolute offset of the data in its shard's file. */
    public long fileOffset() {
        return fileOffset;
    }

    /** Index of the shard holding the data: 0 for an unsplit file, see {@link GgufFile#files()}. */
    public int shard() {
        return shard;
    }

    @Override
    public MemorySegment data() {
        return data;
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(ne);
    }
}
