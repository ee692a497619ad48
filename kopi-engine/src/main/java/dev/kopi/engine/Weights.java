package dev.kopi.engine;

import dev.kopi.kernels.WeightMatrix;

import java.util.Arrays;
import java.util.Map;

/**
 * The tensors of a model file by name, handed out as {@link WeightMatrix} views (never copied) or, for the small
 * norm vectors, as float arrays. Every lookup checks the shape the forward pass expects, so a file with a
 * missing or misshapen tensor fails at load time with a message naming the tensor.
 */
public final class Weights {
    private final Map<String, WeightTensor> tensors;

    public Weights(Map<String, WeightTensor> tensors) {
        this.tensors = Map.copyOf(tensors);
    }

    /** Whether the file has a tensor called {@code name}. */
    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** Rows of the matrix {@code name} (its GGUF {@code dims[1]}), for sizes only the file knows (vocabulary). */
    public int rows(String name) {
        long[] dims = require(name).dims();
        if (dims.length < 2 || dims[1] < 1 || dims[1] > Integer.MAX_VALUE) {
            throw new ModelException("tensor " + name + " has shape " + Arrays.toString(dims) + ", expected a matrix");
        }
        return (int) dims[1];
    }

    /**
     * The {@code rows x cols} matrix {@code name} (GGUF dims {@code [cols, rows]}).
     *
     * @throws ModelException if it is missing, has another shape, or is of a type without kernels
     */
    public WeightMatrix matrix(String name, int rows, int cols) {
        WeightTensor t = require(name);
        checkShape(t, cols, rows);
        try {
            return WeightMatrix.of(t.type(), t.data(), rows, cols);
        } catch (IllegalArgumentException e) {
            throw new ModelException("tensor " + name + ": " + e.getMessage(), e);
        }
    }

    /** The vector {@code name} of {@code n} values, dequantized to floats (norm weights are tiny). */
    public float[] vector(String name, int n) {
        WeightTensor t = require(name);
        checkShape(t, n);
        float[] v = new float[n];
        try {
            WeightMatrix.of(t.type(), t.data(), 1, n).dequantizeRow(0, v, 0);
        } catch (IllegalArgumentException e) {
            throw new ModelException("tensor " + name + ": " + e.getMessage(), e);
        }
        return v;
    }

    private WeightTensor require(String name) {
        WeightTensor t = tensors.get(name);
        if (t == null) {
            throw new ModelException("tensor " + name + " is missing from the model file");
        }
        return t;
    }

    private static void checkShape(WeightTensor t, long... expected) {
        long[] dims = t.dims();
        int rank = dims.length;
        while (rank > expected.length && dims[rank - 1] == 1) {
            rank--; // GGUF writers may pad shapes with trailing ones
        }
        if (!Arrays.equals(Arrays.copyOf(dims, rank), expected)) {
            throw new ModelException("tensor " + t.name() + " has shape " + Arrays.toString(dims)
                    + ", expected " + Arrays.toString(expected));
        }
    }
}
