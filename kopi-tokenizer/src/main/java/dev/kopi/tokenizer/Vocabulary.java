package dev.kopi.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every token by id and by text: the model's vocabulary plus the added tokens, which win where both name an id. */
final class Vocabulary {
    private final String[] tokens;
    private final boolean[] special;
    private final boolean[] added;
    private final Map<String, Integer> ids;

    Vocabulary(Map<String, Integer> modelVocab, List<AddedToken> addedTokens) {
        int size = 0;
        for (int id : modelVocab.values()) {
            size = Math.max(size, id + 1);
        }
        for (AddedToken t : addedTokens) {
            size = Math.max(size, t.id() + 1);
        }
        tokens = new String[size];
        special = new boolean[size];
        added = new boolean[size];
        ids = new HashMap<>(modelVocab);
        modelVocab.forEach((token, id) -> tokens[id] = token);
        for (AddedToken t : addedTokens) {
            tokens[t.id()] = t.content();
            special[t.id()] = t.special();
            added[t.id()] = true;
            ids.put(t.content(), t.id());
        }
    }

    int size() {
        return tokens.length;
    }

    /** The token of {@code id}, or null when the id has none (out of range or a hole in the vocabulary). */
    String token(int id) {
        return id >= 0 && id < tokens.length ? tokens[id] : null;
    }

    int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    boolean isSpecial(int id) {
        return special[id];
    }

    boolean isAdded(int id) {
        return added[id];
    }
}
