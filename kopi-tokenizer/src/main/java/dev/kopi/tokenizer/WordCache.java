package dev.kopi.tokenizer;

/**
 * The ids of recently encoded words, keyed by the word's characters in place (no substring is made to look
 * one up). Open addressing; when it fills up it starts afresh, which keeps it simple and bounded.
 */
final class WordCache {
    private final char[][] keys;
    private final int[][] values;
    private final int mask;
    private final int limit;
    private int size;

    WordCache(int capacity) {
        keys = new char[capacity][];
        values = new int[capacity][];
        mask = capacity - 1;
        limit = capacity / 2;
    }

    static int hash(String text, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + text.charAt(i);
        }
        return h ^ (h >>> 16);
    }

    int[] get(String text, int from, int to, int hash) {
        for (int i = hash & mask; keys[i] != null; i = (i + 1) & mask) {
            if (matches(keys[i], text, from, to)) {
                return values[i];
            }
        }
        return null;
    }

    void put(String text, int from, int to, int hash, int[] ids) {
        if (size >= limit) {
            java.util.Arrays.fill(keys, null);
            java.util.Arrays.fill(values, null);
            size = 0;
        }
        int i = hash & mask;
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        char[] key = new char[to - from];
        text.getChars(from, to, key, 0);
        keys[i] = key;
        values[i] = ids;
        size++;
    }

    private static boolean matches(char[] key, String text, int from, int to) {
        if (key.length != to - from) {
            return false;
        }
        for (int k = 0; k < key.length; k++) {
            if (key[k] != text.charAt(from + k)) {
                return false;
            }
        }
        return true;
    }
}
