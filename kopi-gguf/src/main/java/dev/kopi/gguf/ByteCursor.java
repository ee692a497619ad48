package dev.kopi.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked little-endian reader over a mapped file. Every read first checks that the bytes exist, so
 * a truncated or hostile file ends in a {@link GgufFormatException} naming what was being read, never in an
 * {@link IndexOutOfBoundsException} or an attempt to allocate more than the file holds.
 */
final class ByteCursor {
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment segment;
    private final String source;
    private long position;

    ByteCursor(MemorySegment segment, String source, long position) {
        this.segment = segment;
        this.source = source;
        this.position = position;
    }

    long position() {
        return position;
    }

    long remaining() {
        return segment.byteSize() - position;
    }

    MemorySegment segment() {
        return segment;
    }

    /** Fails unless {@code count} bytes remain; {@code what} names the item for the message. */
    void require(long count, String what) {
        if (count < 0 || count > remaining()) {
            throw new GgufFormatException(source + ": file truncated: " + what + " at offset " + position
                    + " needs " + Long.toUnsignedString(count) + " bytes but only " + remaining() + " remain");
        }
    }

    void skip(long count, String what) {
        require(count, what);
        position += count;
    }

    int u8(String what) {
        require(1, what);
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, position++));
    }

    int u16(String what) {
        require(2, what);
        int v = Short.toUnsignedInt(segment.get(U16, position));
        position += 2;
        return v;
    }

    int u32(String what) {
        require(4, what);
        int v = segment.get(U32, position);
        position += 4;
        return v;
    }

    long u64(String what) {
        require(8, what);
        long v = segment.get(U64, position);
        position += 8;
        return v;
    }

    float f32(String what) {
        return Float.intBitsToFloat(u32(what));
    }

    double f64(String what) {
        return Double.longBitsToDouble(u64(what));
    }

    /**
     * A GGUF string: uint64 length then UTF-8 bytes. The length is checked against the bytes left in the file
     * before anything is allocated; malformed UTF-8 decodes to U+FFFD, as GGUF writers only write valid UTF-8.
     */
    String string(String what) {
        long length = u64(what + " length");
        require(length, what + " of " + Long.toUnsignedString(length) + " bytes");
        if (length > Integer.MAX_VALUE - 16) {
            throw new GgufFormatException(source + ": " + what + " of " + length + " bytes is too long for a string");
        }
        String s = decode(segment, position, (int) length);
        position += length;
        return s;
    }

    /** Skips a GGUF string after checking it lies within the file; returns its length. */
    long skipString(String what) {
        long length = u64(what + " length");
        skip(length, what + " of " + Long.toUnsignedString(length) + " bytes");
        return length;
    }

    static String decode(MemorySegment segment, long offset, int length) {
        byte[] bytes = new byte[length];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
