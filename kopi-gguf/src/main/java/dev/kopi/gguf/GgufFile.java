package dev.kopi.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GGUF file (version 2 or 3), memory-mapped and validated, or the shards of a split model as one.
 *
 * <pre>{@code
 * try (GgufFile gguf = GgufFile.open(Path.of("model.gguf"))) {
 *     String arch = gguf.metadata().getString("general.architecture");
 *     String[] tokens = gguf.metadata().getStringArray("tokenizer.ggml.tokens");
 *     GgufTensor q = gguf.tensor("blk.0.attn_q.weight");   // q.ne(0) is the row length
 *     MemorySegment bytes = q.data();                      // zero copy, little-endian
 * }
 * }</pre>
 *
 * <p><b>Validation.</b> {@link #open} checks the whole structure before returning: the magic and version,
 * every count and length against the bytes left in the file (before allocating anything), value and tensor
 * types, {@code general.alignment} (a uint32 power of two), tensor dimensions (at most 4, none negative, a
 * product that fits a long, a row length that is a whole number of blocks; zero-sized dimensions are allowed,
 * as in ggml), duplicate keys and tensor names, and each tensor's data range: aligned, inside the file, and
 * overlapping no other tensor. Anything wrong ends in a {@link GgufFormatException} naming the file and the
 * problem. Opening a hostile file costs time and memory linear in the size of its metadata and tensor infos.
 *
 * <p><b>Split models.</b> Opening a shard named {@code NAME-0000k-of-0000N.gguf} whose metadata has
 * {@code split.count} N opens all N shards (which must lie beside it, numbered by {@code split.no} from 0)
 * and presents their tensors as one table; {@link #metadata()} is the first shard's, which holds the
 * model's keys. {@code split.tensors.count}, when present, must equal the total.
 *
 * <p>All data lives in one shared arena: {@link #close()} unmaps every shard, after which the tensors' data
 * segments and the metadata's array views throw {@link IllegalStateException} when touched.
 */
public final class GgufFile implements TensorFile {
    /** {@code GGUF} read as a little-endian uint32. */
    static final int MAGIC = 0x46554747;
    /** The alignment of tensor data when {@code general.alignment} is absent. */
    public static final int DEFAULT_ALIGNMENT = 32;
    /** Most dimensions a ggml tensor has. */
    public static final int MAX_DIMS = 4;

    public static final String KEY_ALIGNMENT = "general.alignment";
    public static final String KEY_SPLIT_NO = "split.no";
    public static final String KEY_SPLIT_COUNT = "split.count";
    public static final String KEY_SPLIT_TENSORS_COUNT = "split.tensors.count";

    private static final Pattern SHARD_NAME = Pattern.compile("(.*)-(\\d{5})-of-(\\d{5})\\.gguf");
    /** Smallest tensor info: name length (8), dimension count (4), type (4), offset (8). */
    private static final int MIN_TENSOR_INFO_BYTES = 24;
    /** Smallest key-value pair: key length (8), a 1-byte key, type (4), a 1-byte value. */
    private static final int MIN_KV_BYTES = 14;

    private final Arena arena;
    private final List<Shard> shards;
    private final List<GgufTensor> tensors;
    private final Map<String, GgufTensor> byName;

    /** One parsed file. */
    private record Shard(Path path, int version, int alignment, long dataStart, GgufMetadata metadata,
                         List<GgufTensor> tensors) {}

    private GgufFile(Arena arena, List<Shard> shards) {
        this.arena = arena;
        this.shards = List.copyOf(shards);
        List<GgufTensor> all = new ArrayList<>();
        Map<String, GgufTensor> names = new HashMap<>();
        for (Shard shard : shards) {
            for (GgufTensor t : shard.tensors()) {
                GgufTensor previous = names.putIfAbsent(t.name(), t);
                if (previous != null) {
                    throw new GgufFormatException(shard.path() + ": tensor '" + t.name()
                            + "' is also in shard " + shards.get(previous.shard()).path().getFileName());
                }
                all.add(t);
            }
        }
        this.tensors = List.copyOf(all);
        this.byName = names;
    }

    /**
     * Maps and validates a GGUF file; for a shard of a split model, all its shards.
     *
     * @throws GgufFormatException if the file (or a shard) is malformed, or a shard is missing
     * @throws IOException if a file cannot be read
     */
    public static GgufFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            Shard first = parse(path, arena, 0);
            int count = splitCount(first);
            if (count <= 1) {
                return new GgufFile(arena, List.of(first));
            }
            Matcher name = SHARD_NAME.matcher(path.getFileName().toString());
            if (!name.matches() || Integer.parseInt(name.group(3)) != count) {
                throw new GgufFormatException(path + ": split.count is " + count
                        + " but the file name does not end in -NNNNN-of-" + String.format("%05d", count) + ".gguf");
            }
            int number = Integer.parseInt(name.group(2));
            if (number != 1) {
                arena.close();
                return open(shardPath(path, name.group(1), 1, count));
            }
            List<Shard> shards = new ArrayList<>(List.of(first));
            checkSplitNo(first, 0, count);
            for (int i = 1; i < count; i++) {
                Path shardPath = shardPath(path, name.group(1), i + 1, count);
                if (!Files.exists(shardPath)) {
                    throw new GgufFormatException(path + ": shard " + (i + 1) + " of " + count + " is missing: "
                            + shardPath);
                }
                Shard shard = parse(shardPath, arena, i);
                checkSplitNo(shard, i, count);
                shards.add(shard);
            }
            GgufFile file = new GgufFile(arena, shards);
            if (first.metadata().contains(KEY_SPLIT_TENSORS_COUNT)) {
                long declared = first.metadata().getLong(KEY_SPLIT_TENSORS_COUNT);
                if (declared != file.tensors.size()) {
                    throw new GgufFormatException(path + ": split.tensors.count is " + declared + " but the "
                            + count + " shards hold " + file.tensors.size() + " tensors");
                }
            }
            return file;
        } catch (RuntimeException | IOException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** True if the file starts with the GGUF magic; false for a shorter or different file. */
    public static boolean hasGgufMagic(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer magic = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            int read = 0;
            while (magic.hasRemaining() && read >= 0) {
                read = channel.read(magic);
            }
            return !magic.hasRemaining() && magic.getInt(0) == MAGIC;
        }
    }

    /** The GGUF version of the (first) file: 2 or 3. */
    public int version() {
        return shards.getFirst().version();
    }

    /** The alignment of tensor data in the (first) file: {@code general.alignment}, or 32. */
    public int alignment() {
        return shards.getFirst().alignment();
    }

    /** The metadata of the (first) file. */
    public GgufMetadata metadata() {
        return shards.getFirst().metadata();
    }

    /** The metadata of shard {@code index} (0-based); shards after the first usually hold only {@code split.*}. */
    public GgufMetadata shardMetadata(int index) {
        return shards.get(index).metadata();
    }

    /** Absolute offset of the data section in shard {@code index}: the end of the tensor infos, aligned. */
    public long dataSectionOffset(int index) {
        return shards.get(index).dataStart();
    }

    @Override
    public List<GgufTensor> tensors() {
        return tensors;
    }

    @Override
    public Optional<GgufTensor> findTensor(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * @throws GgufFormatException naming the tensor and the file if there is no such tensor
     */
    @Override
    public GgufTensor tensor(String name) {
        GgufTensor t = byName.get(name);
        if (t == null) {
            throw new GgufFormatException(shards.getFirst().path() + ": no tensor named '" + name + "' (the file has "
                    + tensors.size() + " tensors)");
        }
        return t;
    }

    @Override
    public List<Path> files() {
        return shards.stream().map(Shard::path).toList();
    }

    @Override
    public void close() {
        arena.close();
    }

    private static int splitCount(Shard shard) {
        return shard.metadata().findInt(KEY_SPLIT_COUNT).orElse(1);
    }

    private static void checkSplitNo(Shard shard, int expectedNo, int count) {
        GgufMetadata m = shard.metadata();
        int no = m.findInt(KEY_SPLIT_NO).orElseThrow(() ->
                new GgufFormatException(shard.path() + ": shard of a split model lacks split.no"));
        if (no != expectedNo) {
            throw new GgufFormatException(shard.path() + ": split.no is " + no + ", expected " + expectedNo);
        }
        int shardCount = splitCount(shard);
        if (shardCount != count) {
            throw new GgufFormatException(shard.path() + ": split.count is " + shardCount + ", expected " + count);
        }
    }

    private static Path shardPath(Path path, String prefix, int number, int count) {
        return path.resolveSibling(String.format("%s-%05d-of-%05d.gguf", prefix, number, count));
    }

    private static Shard parse(Path path, Arena arena, int shardIndex) throws IOException {
        MemorySegment segment;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "no such file");
        }
        return parse(segment, path, shardIndex);
    }

    /** Parses a whole GGUF file held in {@code segment}; {@code path} names it in messages. */
    private static Shard parse(MemorySegment segment, Path path, int shardIndex) {
        String source = path.toString();
        long fileSize = segment.byteSize();
        ByteCursor in = new ByteCursor(segment, source, 0);

        int magic = in.u32("magic");
        if (magic != MAGIC) {
            throw new GgufFormatException(source + ": not a GGUF file: it starts with " + describeMagic(magic)
                    + " instead of 'GGUF'");
        }
        int version = in.u32("version");
        if (version != 2 && version != 3) {
            String hint = (version & 0xFFFF) == 0 && version != 0
                    ? " (a big-endian file? only little-endian GGUF is supported)" : "";
            throw new GgufFormatException(source + ": unsupported GGUF version " + Integer.toUnsignedString(version)
                    + hint + "; supported versions are 2 and 3");
        }
        long tensorCount = in.u64("tensor count");
        long kvCount = in.u64("metadata key-value count");
        if (kvCount < 0 || kvCount > in.remaining() / MIN_KV_BYTES) {
            throw new GgufFormatException(source + ": metadata key-value count " + Long.toUnsignedString(kvCount)
                    + " is impossible in a file of " + fileSize + " bytes");
        }
        if (tensorCount < 0 || tensorCount > in.remaining() / MIN_TENSOR_INFO_BYTES) {
            throw new GgufFormatException(source + ": tensor count " + Long.toUnsignedString(tensorCount)
                    + " is impossible in a file of " + fileSize + " bytes");
        }

        LinkedHashMap<String, GgufMetadata.Entry> entries = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = in.string("key of metadata entry " + i);
            if (key.isEmpty()) {
                throw new GgufFormatException(source + ": metadata entry " + i + " has an empty key");
            }
            if (entries.containsKey(key)) {
                throw new GgufFormatException(source + ": duplicate metadata key '" + key + "'");
            }
            int typeId = in.u32("value type of '" + key + "'");
            GgufValueType type;
            try {
                type = GgufValueType.fromId(typeId);
            } catch (IllegalArgumentException e) {
                throw new GgufFormatException(source + ": metadata key '" + key + "' has " + e.getMessage());
            }
            entries.put(key, new GgufMetadata.Entry(type, readValue(in, source, key, type)));
        }
        GgufMetadata metadata = new GgufMetadata(source, entries);
        int alignment = alignment(metadata, source);

        record Info(String name, GgmlType type, long[] ne, long elements, long bytes, long offset) {}
        List<Info> infos = new ArrayList<>((int) Math.min(tensorCount, 4096));
        Map<String, Info> names = new HashMap<>();
        for (long i = 0; i < tensorCount; i++) {
            String name = in.string("name of tensor " + i);
            if (names.containsKey(name)) {
                throw new GgufFormatException(source + ": duplicate tensor name '" + name + "'");
            }
            String what = "tensor '" + name + "'";
            int dims = in.u32("dimension count of " + what);
            if (dims < 0 || dims > MAX_DIMS) {
                throw new GgufFormatException(source + ": " + what + " has " + Integer.toUnsignedString(dims)
                        + " dimensions; ggml allows at most " + MAX_DIMS);
            }
            long[] ne = new long[dims];
            long elements = 1;
            boolean overflow = false;
            for (int d = 0; d < dims; d++) {
                ne[d] = in.u64("dimension " + d + " of " + what);
                if (ne[d] < 0) {
                    throw new GgufFormatException(source + ": " + what + " dimension " + d + " is "
                            + Long.toUnsignedString(ne[d]) + ", more than 2^63-1");
                }
                long hi = Math.multiplyHigh(elements, ne[d]);
                elements *= ne[d];
                overflow |= hi != 0 || elements < 0;
            }
            if (overflow && Arrays.stream(ne).allMatch(n -> n != 0)) {
                throw new GgufFormatException(source + ": " + what + " shape " + Arrays.toString(ne)
                        + " has more than 2^63-1 elements");
            }
            if (overflow) {
                elements = 0;
            }
            int typeId = in.u32("type of " + what);
            GgmlType type;
            try {
                type = GgmlType.fromId(typeId);
            } catch (IllegalArgumentException e) {
                throw new GgufFormatException(source + ": " + what + " has " + e.getMessage());
            }
            long rowLength = dims == 0 ? 1 : ne[0];
            if (rowLength % type.blockSize() != 0) {
                throw new GgufFormatException(source + ": " + what + " of type " + type + " has rows of " + rowLength
                        + " elements, not a multiple of its block size " + type.blockSize());
            }
            long bytes;
            try {
                bytes = type.byteSize(elements);
            } catch (ArithmeticException e) {
                throw new GgufFormatException(source + ": " + what + " shape " + Arrays.toString(ne) + " of type "
                        + type + " takes more than 2^63-1 bytes");
            }
            long offset = in.u64("data offset of " + what);
            Info info = new Info(name, type, ne, elements, bytes, offset);
            names.put(name, info);
            infos.add(info);
        }

        long dataStart = tensorCount == 0 ? in.position() : alignUp(in.position(), alignment);
        if (dataStart > fileSize) {
            throw new GgufFormatException(source + ": file truncated: the data section would start at offset "
                    + dataStart + " but the file has " + fileSize + " bytes");
        }
        long dataSize = fileSize - dataStart;
        List<GgufTensor> tensors = new ArrayList<>(infos.size());
        for (Info info : infos) {
            String what = "tensor '" + info.name() + "'";
            if (info.offset() < 0 || info.offset() % alignment != 0) {
                throw new GgufFormatException(source + ": " + what + " data offset "
                        + Long.toUnsignedString(info.offset()) + " is not a multiple of the alignment " + alignment);
            }
            if (info.offset() > dataSize || info.bytes() > dataSize - info.offset()) {
                throw new GgufFormatException(source + ": " + what + " data [" + (dataStart + info.offset()) + ".."
                        + end(dataStart + info.offset(), info.bytes()) + ") lies past the end of the file (size "
                        + fileSize + ")");
            }
            long fileOffset = dataStart + info.offset();
            tensors.add(new GgufTensor(info.name(), info.type(), info.ne(), info.elements(), info.offset(),
                    fileOffset, shardIndex, segment.asSlice(fileOffset, info.bytes())));
        }
        List<GgufTensor> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.comparingLong(GgufTensor::dataOffset).thenComparingLong(GgufTensor::byteSize));
        for (int i = 1; i < byOffset.size(); i++) {
            GgufTensor a = byOffset.get(i - 1);
            GgufTensor b = byOffset.get(i);
            if (a.byteSize() > 0 && b.byteSize() > 0 && b.dataOffset() < a.dataOffset() + a.byteSize()) {
                throw new GgufFormatException(source + ": tensor '" + b.name() + "' data " + range(b)
                        + " overlaps tensor '" + a.name() + "' data " + range(a));
            }
        }
        return new Shard(path, version, alignment, dataStart, metadata, List.copyOf(tensors));
    }

    private static Object readValue(ByteCursor in, String source, String key, GgufValueType type) {
        String what = "value of '" + key + "'";
        return switch (type) {
            case STRING -> in.string(what);
            case ARRAY -> GgufArray.read(in, source, key, 1);
            default -> {
                in.require(type.fixedSize(), what);
                Object value = GgufMetadata.readScalar(in.segment(), in.position(), type);
                in.skip(type.fixedSize(), what);
                yield value;
            }
        };
    }

    private static int alignment(GgufMetadata metadata, String source) {
        Optional<GgufValueType> type = metadata.findType(KEY_ALIGNMENT);
        if (type.isEmpty()) {
            return DEFAULT_ALIGNMENT;
        }
        if (type.get() != GgufValueType.UINT32) {
            throw new GgufFormatException(source + ": " + KEY_ALIGNMENT + " is " + type.get().displayName()
                    + ", expected uint32");
        }
        long alignment = metadata.getLong(KEY_ALIGNMENT);
        if (alignment == 0 || Long.bitCount(alignment) != 1 || alignment > 1 << 30) {
            throw new GgufFormatException(source + ": " + KEY_ALIGNMENT + " " + alignment
                    + " is not a power of two up to 2^30");
        }
        return (int) alignment;
    }

    static long alignUp(long position, long alignment) {
        return (position + alignment - 1) / alignment * alignment;
    }

    private static String end(long start, long bytes) {
        long end = start + bytes;
        return end < 0 ? "past 2^63" : Long.toString(end);
    }

    private static String range(GgufTensor t) {
        return "[" + t.fileOffset() + ".." + (t.fileOffset() + t.byteSize()) + ")";
    }

    private static String describeMagic(int magic) {
        StringBuilder text = new StringBuilder("'");
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            int b = (magic >>> (8 * i)) & 0xFF;
            text.append(b >= 0x20 && b < 0x7F ? (char) b : '.');
            hex.append(String.format("%02x", b));
        }
        return text.append("' (0x").append(hex).append(')').toString();
    }
}
