package dev.kopi.gguf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes GGUF bytes field by field, so tests can build files no well-behaved writer would. */
final class RawGguf {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Magic, version 3 and the two counts. */
    static RawGguf header(long tensors, long kvs) {
        return new RawGguf().u32(GgufFile.MAGIC).u32(3).u64(tensors).u64(kvs);
    }

    RawGguf u8(int v) {
        out.write(v);
        return this;
    }

    RawGguf u32(int v) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        return this;
    }

    RawGguf u64(long v) {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        return this;
    }

    RawGguf str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u64(b.length);
        out.writeBytes(b);
        return this;
    }

    /** A key with a uint32 value. */
    RawGguf kvU32(String key, int value) {
        return str(key).u32(GgufValueType.UINT32.id()).u32(value);
    }

    /** A tensor info. */
    RawGguf tensor(String name, GgmlType type, long offset, long... ne) {
        str(name).u32(ne.length);
        for (long n : ne) {
            u64(n);
        }
        return u32(type.id()).u64(offset);
    }

    /** Zeros up to the next multiple of {@code alignment}. */
    RawGguf pad(int alignment) {
        while (out.size() % alignment != 0) {
            out.write(0);
        }
        return this;
    }

    RawGguf zeros(int count) {
        out.writeBytes(new byte[count]);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
