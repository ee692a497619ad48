package dev.kopi.engine;

import dev.kopi.gguf.GgmlType;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * One stored tensor as the engine sees it: its type, its GGUF dimensions ({@code dims[0]} = ne0, the fastest
 * varying) and its bytes, usually a slice of the memory-mapped file.
 */
public record WeightTensor(String name, GgmlType type, long[] dims, MemorySegment data) {
    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(dims);
    }
}
