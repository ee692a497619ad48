package dev.kopi.engine.synth;

import java.util.Arrays;
import java.util.Locale;

import dev.kopi.gguf.GgmlType;

/**
 * The whole-file quantization types ({@code enum llama_ftype}) kopi can write: the number GGUF records as
 * {@code general.file_type}, and the tensor type most weight matrices get. Which matrices deviate from that
 * default (the K-quant mixes, the output matrix) is {@link TensorTypePolicy}'s business.
 */
public enum FileType {
    F32(0, GgmlType.F32),
    F16(1, GgmlType.F16),
    BF16(32, GgmlType.BF16),
    Q8_0(7, GgmlType.Q8_0),
    Q4_0(2, GgmlType.Q4_0),
    Q4_1(3, GgmlType.Q4_1),
    Q5_0(8, GgmlType.Q5_0),
    Q5_1(9, GgmlType.Q5_1),
    Q2_K(10, GgmlType.Q2_K),
    Q3_K_S(11, GgmlType.Q3_K),
    Q3_K_M(12, GgmlType.Q3_K),
    Q3_K_L(13, GgmlType.Q3_K),
    Q4_K_S(14, GgmlType.Q4_K),
    Q4_K_M(15, GgmlType.Q4_K),
    Q5_K_S(16, GgmlType.Q5_K),
    Q5_K_M(17, GgmlType.Q5_K),
    Q6_K(18, GgmlType.Q6_K);

    private final int id;
    private final GgmlType defaultType;

    FileType(int id, GgmlType defaultType) {
        this.id = id;
        this.defaultType = defaultType;
    }

    /** {@code general.file_type} / {@code enum llama_ftype}. */
    public int id() {
        return id;
    }

    /** The tensor type of the weight matrices the mix does not single out ({@code llama_ftype_get_default_type}). */
    public GgmlType defaultType() {
        return defaultType;
    }

    /**
     * The file type called {@code name}, as llama-quantize spells them ({@code Q4_K_M}, {@code q8_0}, {@code F16}...).
     *
     * @throws IllegalArgumentException listing the known names
     */
    public static FileType named(String name) {
        String key = name.toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.name().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown file type '" + name + "'; known: "
                        + String.join(", ", Arrays.stream(values()).map(Enum::name).toList())));
    }
}
