package dev.kopi.engine.synth;

import dev.kopi.gguf.GgmlType;

/**
 * Chooses each tensor's type in a file of a given {@link FileType} the way llama.cpp's {@code llama-quantize}
 * does ({@code llama_tensor_get_type} in {@code src/llama-quant.cpp}), so a file kopi writes has the same type
 * layout as one llama.cpp quantized from the same weights. Covers the dense-model rules of the non-imatrix
 * types; mixture-of-experts, Falcon and 70B special cases do not arise for Qwen3 dense shapes.
 *
 * <p>In short: only 2-D tensors whose names end in {@code weight} and are not norms are quantized. The output
 * matrix (and the token embeddings when they double as output) get Q6_K unless the default is Q8_0, or Q8_0
 * when the row length does not fit the block size. The K-quant "M"/"L"/"S" mixes give {@code attn_v} and
 * {@code ffn_down} more bits in the layers {@link #useMoreBits} selects. A type whose block does not divide the
 * row length falls back to a 32-element type (Q4_K → Q5_0, Q5_K → Q5_1, Q6_K → Q8_0, Q2_K/Q3_K → Q4_0), or to
 * F16 if even that does not divide it.
 */
public final class TensorTypePolicy {
    private final FileType fileType;
    private final int layers;
    private final int groupSize;
    private final boolean tiedEmbeddings;
    private final boolean seventyB;

    /**
     * @param layers         the model's block count ({@code n_attention_wv} and {@code n_ffn_down} for dense models)
     * @param groupSize      query heads per KV head ({@code n_gqa})
     * @param tiedEmbeddings true if the file has no {@code output.weight}
     * @param seventyB       true if llama.cpp sizes the model as 70B ({@code LLM_TYPE_70B}: a Llama of 80 layers
     *                       with grouped-query attention)
     */
    public TensorTypePolicy(FileType fileType, int layers, int groupSize, boolean tiedEmbeddings, boolean seventyB) {
        this.fileType = fileType;
        this.layers = layers;
        this.groupSize = groupSize;
        this.tiedEmbeddings = tiedEmbeddings;
        this.seventyB = seventyB;
    }

    /** The policy for a model of {@code shape}. */
    public static TensorTypePolicy of(FileType fileType, ModelShape shape) {
        boolean seventyB = shape.architecture() == dev.kopi.engine.Architecture.LLAMA && shape.layers() == 80
                && shape.heads() != shape.kvHeads();
        return new TensorTypePolicy(fileType, shape.layers(), shape.groupSize(), shape.tiedEmbeddings(), seventyB);
    }

    /**
     * The type of the tensor {@code name} with first dimension {@code rowLength} and {@code dims} dimensions,
     * whose source values are F32.
     */
    public GgmlType typeOf(String name, long rowLength, int dims) {
        if (!quantizable(name, dims)) {
            return GgmlType.F32;
        }
        GgmlType type = fileType.defaultType();
        if (!type.isQuantized()) {
            return type;
        }
        return fallback(mix(name, rowLength, type), rowLength);
    }

    /** True for the layers a K-quant mix gives more bits: the first and last eighth, and every third between. */
    static boolean useMoreBits(int layer, int layers) {
        return layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
    }

    private static boolean quantizable(String name, int dims) {
        return dims >= 2 && name.endsWith("weight") && !name.contains("_norm.weight");
    }

    private GgmlType mix(String name, long rowLength, GgmlType type) {
        boolean output = name.equals("output.weight");
        boolean embeddings = name.equals("token_embd.weight");
        FileType f = fileType;
        if (output || (tiedEmbeddings && embeddings)) {
            if (rowLength % type.blockSize() != 0) {
                return GgmlType.Q8_0;
            }
            return type == GgmlType.Q8_0 ? type : GgmlType.Q6_K;
        }
        if (embeddings) {
            return type;
        }
        if (name.contains("attn_v.weight")) {
            int layer = layerOf(name);
            GgmlType v = switch (f) {
                case Q2_K -> groupSize >= 4 ? GgmlType.Q4_K : GgmlType.Q3_K;
                case Q3_K_M -> layer < 2 ? GgmlType.Q5_K : GgmlType.Q4_K;
                case Q3_K_L -> GgmlType.Q5_K;
                case Q4_K_M, Q5_K_M -> useMoreBits(layer, layers) ? GgmlType.Q6_K : type;
                case Q4_K_S -> layer < 4 ? GgmlType.Q5_K : type;
                default -> type;
            };
            // 8 heads share each value head in a 70B: more bits for attn_v cost little
            return seventyB && (v == GgmlType.Q3_K || v == GgmlType.Q4_K) ? GgmlType.Q5_K : v;
        }
        if (name.contains("ffn_down")) {
            int layer = layerOf(name);
            return switch (f) {
                case Q2_K -> GgmlType.Q3_K;
                case Q3_K_M -> layer < layers / 16 ? GgmlType.Q5_K : GgmlType.Q4_K;
                case Q3_K_L -> GgmlType.Q5_K;
                case Q4_K_M, Q5_K_M -> useMoreBits(layer, layers) ? GgmlType.Q6_K : type;
                case Q4_K_S -> layer < layers / 8 ? GgmlType.Q5_K : type;
                default -> type;
            };
        }
        if (name.contains("attn_output.weight")) {
            return switch (f) {
                case Q2_K -> GgmlType.Q3_K;
                case Q3_K_M -> GgmlType.Q4_K;
                case Q3_K_L -> GgmlType.Q5_K;
                default -> type;
            };
        }
        return type;
    }

    private static GgmlType fallback(GgmlType type, long rowLength) {
        if (rowLength % type.blockSize() == 0) {
            return type;
        }
        GgmlType smaller = switch (type) {
            case Q2_K, Q3_K -> GgmlType.Q4_0;
            case Q4_K -> GgmlType.Q5_0;
            case Q5_K -> GgmlType.Q5_1;
            case Q6_K -> GgmlType.Q8_0;
            default -> type;
        };
        return rowLength % smaller.blockSize() == 0 ? smaller : GgmlType.F16;
    }

    private static int layerOf(String name) {
        if (!name.startsWith("blk.")) {
            throw new IllegalArgumentException("not a block tensor: " + name);
        }
        int end = name.indexOf('.', 4);
        return Integer.parseInt(name.substring(4, end));
    }
}
