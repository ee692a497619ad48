package dev.kopi.gguf;

/** The 13 types a GGUF metadata value can have, with the ids the file stores. */
public enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    /** UTF-8 bytes after a uint64 length; not NUL-terminated. */
    STRING(8, -1),
    /** A uint32 element type, a uint64 count, then the elements (which may themselves be arrays). */
    ARRAY(9, -1),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private static final GgufValueType[] BY_ID = values();

    private final int id;
    private final int fixedSize;

    GgufValueType(int id, int fixedSize) {
        this.id = id;
        this.fixedSize = fixedSize;
    }

    /** The id GGUF stores for this type. */
    public int id() {
        return id;
    }

    /** Bytes one value takes, or -1 for the variable-length STRING and ARRAY. */
    public int fixedSize() {
        return fixedSize;
    }

    /** True for the eight integer types (BOOL is not one). */
    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    /** The lower-case name GGUF tools print, e.g. {@code uint32}, {@code string}. */
    public String displayName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The type GGUF numbers {@code id}.
     *
     * @throws IllegalArgumentException if no type has that id
     */
    public static GgufValueType fromId(int id) {
        if (id < 0 || id >= BY_ID.length) {
            throw new IllegalArgumentException("unknown GGUF value type id " + Integer.toUnsignedString(id));
        }
        return BY_ID[id];
    }
}
