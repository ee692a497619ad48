package dev.kopi.tokenizer;

import java.util.List;

/**
 * Finds added tokens in text the way Hugging Face's {@code AddedVocabulary} does: leftmost-longest matches
 * that do not overlap, then the {@code single_word}, {@code lstrip} and {@code rstrip} rules.
 */
final class AddedTokenMatcher {
    /** Receives the pieces of a text in order: plain text ranges (token null) and added-token matches. */
    interface Sink {
        void piece(int start, int end, AddedToken token);
    }

    private final Node root = new Node();
    /** Whether some token starts with this UTF-16 unit: a cheap test before walking the trie. */
    private final boolean[] firstUnit = new boolean[0x10000];
    private final boolean empty;

    AddedTokenMatcher(List<AddedToken> tokens) {
        for (AddedToken token : tokens) {
            Node node = root;
            for (int i = 0; i < token.content().length(); i++) {
                node = node.child(token.content().charAt(i), true);
            }
            node.token = token;
            firstUnit[token.content().charAt(0)] = true;
        }
        empty = tokens.isEmpty();
    }

    /** Cuts {@code text[from, to)} into plain ranges and added tokens. */
    void split(String text, int from, int to, Sink sink) {
        if (empty) {
            sink.piece(from, to, null);
            return;
        }
        int plainStart = from;
        int i = from;
        while (i < to) {
            if (!firstUnit[text.charAt(i)]) {
                i++;
                continue;
            }
            AddedToken token = null;
            int end = -1;
            Node node = root;
            for (int j = i; j < to && (node = node.child(text.charAt(j), false)) != null; j++) {
                if (node.token != null) {
                    token = node.token;
                    end = j + 1;
                }
            }
            if (token == null) {
                i++;
                continue;
            }
            int start = i;
            if (token.singleWord() && (isWordEnd(text, from, start) || isWordStart(text, end, to))) {
                i = end; // Hugging Face moves past a match it rejects
                continue;
            }
            if (token.lstrip()) {
                while (start > plainStart && Character.isWhitespace(text.codePointBefore(start))) {
                    start -= Character.charCount(text.codePointBefore(start));
                }
            }
            if (token.rstrip()) {
                while (end < to && Character.isWhitespace(text.codePointAt(end))) {
                    end += Character.charCount(text.codePointAt(end));
                }
            }
            if (start > plainStart) {
                sink.piece(plainStart, start, null);
            }
            sink.piece(start, end, token);
            plainStart = end;
            i = end;
        }
        if (to > plainStart) {
            sink.piece(plainStart, to, null);
        }
    }

    private static boolean isWordEnd(String text, int from, int at) {
        return at > from && isWordCharacter(text.codePointBefore(at));
    }

    private static boolean isWordStart(String text, int at, int to) {
        return at < to && isWordCharacter(text.codePointAt(at));
    }

    private static boolean isWordCharacter(int cp) {
        return Character.isLetterOrDigit(cp) || cp == '_' || Character.getType(cp) == Character.NON_SPACING_MARK
                || Character.getType(cp) == Character.COMBINING_SPACING_MARK
                || Character.getType(cp) == Character.CONNECTOR_PUNCTUATION;
    }

    private static final class Node {
        char[] keys = new char[0];
        Node[] children = new Node[0];
        AddedToken token;

        Node child(char c, boolean create) {
            int at = java.util.Arrays.binarySearch(keys, c);
            if (at >= 0) {
                return children[at];
            }
            if (!create) {
                return null;
            }
            int insert = -at - 1;
            char[] k = new char[keys.length + 1];
            Node[] ch = new Node[children.length + 1];
            System.arraycopy(keys, 0, k, 0, insert);
            System.arraycopy(children, 0, ch, 0, insert);
            System.arraycopy(keys, insert, k, insert + 1, keys.length - insert);
            System.arraycopy(children, insert, ch, insert + 1, children.length - insert);
            k[insert] = c;
            Node node = new Node();
            ch[insert] = node;
            keys = k;
            children = ch;
            return node;
        }
    }
}
