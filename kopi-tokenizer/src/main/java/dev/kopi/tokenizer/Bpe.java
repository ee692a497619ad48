package dev.kopi.tokenizer;

import java.util.Map;

/**
 * The BPE model stage: turns one pre-tokenized word into token ids by starting from single symbols and
 * applying the merge of lowest rank, leftmost first, until none applies (Hugging Face's {@code BPE}).
 *
 * <p>Two input alphabets: byte-level (the word's UTF-8 bytes, each written as its GPT-2 character; the
 * ByteLevel pre-tokenizer's mapping is folded in here so that no mapped string is built) and characters
 * (SentencePiece-style, with byte fallback to {@code <0xXX>} tokens and an unknown token).
 *
 * <p>Immutable and safe to share between threads; the scratch space and word cache are per thread.
 */
final class Bpe {
    private static final long NO_MERGE = Long.MAX_VALUE;
    private static final int NO_RANK = Integer.MAX_VALUE;
    /** Words up to this many chars are cached; longer ones are rare and would crowd the cache. */
    private static final int MAX_CACHED_WORD = 64;
    /** Up to this many symbols, merging by scanning an array beats the heap. */
    private static final int SMALL_WORD = 48;

    private final Map<String, Integer> vocab;
    /** Pair {@code left << 32 | right} to {@code rank << 32 | merged id}. */
    private final LongLongMap merges;
    private final boolean byteLevel;
    /** Byte-level: id of each byte's token. Byte fallback: id of each {@code <0xXX>} token, or -1. */
    private final int[] byteIds;
    /** Character alphabet: id of each single-character token, keyed by code point. */
    private final LongLongMap charIds;
    private final boolean ignoreMerges;
    private final boolean byteFallback;
    private final int unkId;
    private final boolean fuseUnk;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    Bpe(Map<String, Integer> vocab, LongLongMap merges, boolean byteLevel, boolean ignoreMerges,
            boolean byteFallback, int unkId, boolean fuseUnk) {
        this.vocab = vocab;
        this.merges = merges;
        this.byteLevel = byteLevel;
        this.ignoreMerges = ignoreMerges;
        this.byteFallback = byteFallback;
        this.unkId = unkId;
        this.fuseUnk = fuseUnk;
        this.byteIds = new int[256];
        for (int b = 0; b < 256; b++) {
            String token = byteLevel ? String.valueOf(ByteLevel.charOf(b)) : String.format("<0x%02X>", b);
            Integer id = vocab.get(token);
            if (id == null && byteLevel) {
                throw new TokenizerFormatException("byte-level vocabulary lacks the token of byte " + b
                        + " ('" + token + "')");
            }
            byteIds[b] = id == null ? -1 : id;
        }
        if (byteLevel) {
            charIds = null;
        } else {
            charIds = new LongLongMap(vocab.size());
            vocab.forEach((token, id) -> {
                if (token.codePointCount(0, token.length()) == 1) {
                    charIds.put(token.codePointAt(0), id);
                }
            });
        }
    }

    /** Appends the ids of {@code text[from, to)} to {@code out}. */
    void encodeWord(String text, int from, int to, IntList out) {
        Scratch s = scratch.get();
        boolean cacheable = to - from <= MAX_CACHED_WORD;
        int hash = 0;
        if (cacheable) {
            hash = WordCache.hash(text, from, to);
            int[] cached = s.cache.get(text, from, to, hash);
            if (cached != null) {
                out.addAll(cached);
                return;
            }
        }
        int n = byteLevel ? byteSymbols(text, from, to, s) : charSymbols(text, from, to, s);
        if (ignoreMerges && n > 1) {
            Integer whole = vocab.get(byteLevel ? ByteLevel.encode(text.substring(from, to)) : text.substring(from, to));
            if (whole != null) {
                s.ids[0] = whole;
                n = 1;
            }
        }
        n = n <= SMALL_WORD ? mergeSmall(s.ids, n, s) : mergeLarge(s.ids, n, s);
        if (cacheable) {
            int[] ids = java.util.Arrays.copyOf(s.ids, n);
            s.cache.put(text, from, to, hash, ids);
            out.addAll(ids);
        } else {
            for (int i = 0; i < n; i++) {
                out.add(s.ids[i]);
            }
        }
    }

    /** Writes the byte tokens of the word's UTF-8 into {@code s.ids}; returns their count. */
    private int byteSymbols(String text, int from, int to, Scratch s) {
        int[] ids = s.ensure(4 * (to - from));
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                ids[n++] = byteIds[c];
            } else if (c < 0x800) {
                ids[n++] = byteIds[0xC0 | c >> 6];
                ids[n++] = byteIds[0x80 | c & 0x3F];
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                ids[n++] = byteIds[0xF0 | cp >> 18];
                ids[n++] = byteIds[0x80 | cp >> 12 & 0x3F];
                ids[n++] = byteIds[0x80 | cp >> 6 & 0x3F];
                ids[n++] = byteIds[0x80 | cp & 0x3F];
            } else {
                ids[n++] = byteIds[0xE0 | c >> 12];
                ids[n++] = byteIds[0x80 | c >> 6 & 0x3F];
                ids[n++] = byteIds[0x80 | c & 0x3F];
            }
        }
        return n;
    }

    /**
     * Writes one symbol per character into {@code s.ids}: its token, else its UTF-8 bytes as {@code <0xXX>}
     * tokens (byte fallback, when all exist), else the unknown token (consecutive ones fused if configured).
     */
    private int charSymbols(String text, int from, int to, Scratch s) {
        int[] ids = s.ensure(4 * (to - from));
        int n = 0;
        boolean previousUnknown = false;
        for (int i = from; i < to; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            long id = charIds.get(cp, -1);
            if (id >= 0) {
                ids[n++] = (int) id;
                previousUnknown = false;
                continue;
            }
            if (byteFallback && appendByteFallback(cp, ids, n)) {
                n += utf8Length(cp);
                previousUnknown = false;
                continue;
            }
            if (unkId < 0) {
                throw new IllegalArgumentException("the tokenizer has no token for " + describe(cp)
                        + " and no unknown token");
            }
            if (!(fuseUnk && previousUnknown)) {
                ids[n++] = unkId;
            }
            previousUnknown = true;
        }
        return n;
    }

    private boolean appendByteFallback(int cp, int[] ids, int n) {
        byte[] bytes = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (byte b : bytes) {
            if (byteIds[b & 0xFF] < 0) {
                return false;
            }
        }
        for (byte b : bytes) {
            ids[n++] = byteIds[b & 0xFF];
        }
        return true;
    }

    private static int utf8Length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    private static String describe(int cp) {
        return String.format("U+%04X", cp);
    }

    private long merge(int left, int right) {
        return merges.get((long) left << 32 | (right & 0xFFFFFFFFL), NO_MERGE);
    }

    private int rank(int left, int right) {
        long m = merge(left, right);
        return m == NO_MERGE ? NO_RANK : (int) (m >>> 32);
    }

    /** Merges a short word in place by scanning the pair ranks; returns the new symbol count. */
    private int mergeSmall(int[] ids, int n, Scratch s) {
        int[] ranks = s.ranks(n);
        for (int i = 0; i + 1 < n; i++) {
            ranks[i] = rank(ids[i], ids[i + 1]);
        }
        while (n > 1) {
            int best = -1;
            int bestRank = NO_RANK;
            for (int i = 0; i + 1 < n; i++) {
                if (ranks[i] < bestRank) {
                    bestRank = ranks[i];
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            ids[best] = (int) merge(ids[best], ids[best + 1]);
            System.arraycopy(ids, best + 2, ids, best + 1, n - best - 2);
            System.arraycopy(ranks, best + 2, ranks, best + 1, n - best - 2);
            n--;
            if (best > 0) {
                ranks[best - 1] = rank(ids[best - 1], ids[best]);
            }
            if (best + 1 < n) {
                ranks[best] = rank(ids[best], ids[best + 1]);
            }
        }
        return n;
    }

    /**
     * Merges a long word with a heap of candidate pairs ordered by rank then position, over a linked list
     * of symbols, as Hugging Face does; stale candidates are recognised and dropped when popped.
     */
    private int mergeLarge(int[] ids, int n, Scratch s) {
        int[] next = s.next(n);
        int[] prev = s.prev(n);
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        LongHeap heap = s.heap;
        heap.clear();
        for (int i = 0; i + 1 < n; i++) {
            int r = rank(ids[i], ids[i + 1]);
            if (r != NO_RANK) {
                heap.push((long) r << 32 | i);
            }
        }
        while (!heap.isEmpty()) {
            long top = heap.pop();
            int r = (int) (top >>> 32);
            int i = (int) top;
            int j = next[i];
            if (ids[i] < 0 || j < 0 || rank(ids[i], ids[j]) != r) {
                continue; // the pair was changed by an earlier merge
            }
            ids[i] = (int) merge(ids[i], ids[j]);
            ids[j] = -1;
            int after = next[j];
            next[i] = after;
            if (after >= 0) {
                prev[after] = i;
                int ra = rank(ids[i], ids[after]);
                if (ra != NO_RANK) {
                    heap.push((long) ra << 32 | i);
                }
            }
            int before = prev[i];
            if (before >= 0) {
                int rb = rank(ids[before], ids[i]);
                if (rb != NO_RANK) {
                    heap.push((long) rb << 32 | before);
                }
            }
        }
        int out = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            ids[out++] = ids[i];
        }
        return out;
    }

    /** Per-thread buffers and word cache. */
    private static final class Scratch {
        int[] ids = new int[256];
        int[] ranks = new int[256];
        int[] next = new int[0];
        int[] prev = new int[0];
        final LongHeap heap = new LongHeap();
        final WordCache cache = new WordCache(1 << 15);

        int[] ensure(int capacity) {
            if (ids.length < capacity) {
                ids = new int[capacity];
            }
            return ids;
        }

        int[] ranks(int n) {
            if (ranks.length < n) {
                ranks = new int[n];
            }
            return ranks;
        }

        int[] next(int n) {
            if (next.length < n) {
                next = new int[n];
            }
            return next;
        }

        int[] prev(int n) {
            if (prev.length < n) {
                prev = new int[n];
            }
            return prev;
        }
    }
}
