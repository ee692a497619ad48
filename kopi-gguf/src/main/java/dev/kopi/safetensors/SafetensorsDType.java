package dev.kopi.safetensors;

import java.util.Optional;

import dev.kopi.gguf.GgmlType;

/** The element types of safetensors that kopi reads, as the header's {@code dtype} names them. */
public enum SafetensorsDType {
    F64(8, GgmlType.F64),
    F32(4, GgmlType.F32),
    F16(2, GgmlType.F16),
    BF16(2, GgmlType.BF16),
    I64(8, GgmlType.I64),
    I32(4, GgmlType.I32),
    I16(2, GgmlType.I16),
    I8(1, GgmlType.I8),
    U8(1, null),
    /** One byte per element, 0 or 1. */
    BOOL(1, null);

    private final int byteSize;
    private final GgmlType ggmlType;

    SafetensorsDType(int byteSize, GgmlType ggmlType) {
        this.byteSize = byteSize;
        this.ggmlType = ggmlType;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The ggml type with the same element layout, or empty for U8 and BOOL, which ggml lacks. */
    public Optional<GgmlType> ggmlType() {
        return Optional.ofNullable(ggmlType);
    }

    /** The dtype named {@code name} in a header, or empty if kopi does not read it. */
    public static Optional<SafetensorsDType> fromName(String name) {
        for (SafetensorsDType t : values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
