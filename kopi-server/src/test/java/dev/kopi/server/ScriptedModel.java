package dev.kopi.server;

import dev.kopi.engine.Batch;
import dev.kopi.engine.KvCache;
import dev.kopi.engine.Logits;
import dev.kopi.engine.Model;
import dev.kopi.engine.ModelConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real model whose answer to a chosen prompt ending is forced: the forward pass runs as usual, then wherever a
 * sequence's tokens end with the trigger followed by the first k tokens of the script, the logit of script token
 * k is raised far above the rest (and after the whole script, the end token's). Everything else, the server, the
 * batch, sampling and decoding, is real: this only stands in for a trained model's wish to think or call a tool,
 * which random weights never have.
 */
final class ScriptedModel implements Model {
    private final Model real;
    private final Map<Integer, List<Integer>> history = new HashMap<>();
    private volatile int[] trigger = new int[0];
    private volatile int[] script;
    private volatile int end;

    ScriptedModel(Model real) {
        this.real = real;
    }

    /** Answers every prompt that ends with {@code trigger} with {@code script} then {@code end}. */
    void respond(int[] trigger, int[] script, int end) {
        this.trigger = trigger.clone();
        this.end = end;
        this.script = script.clone();
    }

    @Override
    public ModelConfig config() {
        return real.config();
    }

    @Override
    public int vocabularySize() {
        return real.vocabularySize();
    }

    @Override
    public Logits forward(Batch batch, KvCache cache) {
        for (int i = 0; i < batch.size(); i++) {
            List<Integer> tokens = history.computeIfAbsent(batch.sequence(i), s -> new ArrayList<>());
            tokens.subList(Math.min(batch.position(i), tokens.size()), tokens.size()).clear();
            tokens.add(batch.token(i));
        }
        Logits logits = real.forward(batch, cache);
        int[] s = script;
        if (s == null) {
            return logits;
        }
        int vocab = vocabularySize();
        float[] values = logits.values();
        for (int r = 0; r < logits.rows(); r++) {
            int b = logits.batchIndex(r);
            List<Integer> tokens = history.get(batch.sequence(b)).subList(0, batch.position(b) + 1);
            int next = scriptedNext(tokens, s);
            if (next >= 0) {
                float max = Float.NEGATIVE_INFINITY;
                for (int v = 0; v < vocab; v++) {
                    max = Math.max(max, values[r * vocab + v]);
                }
                values[r * vocab + next] = max + 100;
            }
        }
        return logits;
    }

    /** The forced next token after {@code tokens}, or -1 when they do not end inside a scripted answer. */
    private int scriptedNext(List<Integer> tokens, int[] s) {
        for (int k = s.length; k >= 0; k--) {
            int start = tokens.size() - k - trigger.length;
            if (start >= 0 && matches(tokens, start, trigger) && matches(tokens, start + trigger.length, s, k)) {
                return k == s.length ? end : s[k];
            }
        }
        return -1;
    }

    private static boolean matches(List<Integer> tokens, int from, int[] expected) {
        return matches(tokens, from, expected, expected.length);
    }

    private static boolean matches(List<Integer> tokens, int from, int[] expected, int count) {
        for (int i = 0; i < count; i++) {
            if (tokens.get(from + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        real.close();
    }
}
