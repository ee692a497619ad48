package dev.kopi.eval.run;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kopi.eval.data.JsonLines;
import dev.kopi.eval.metrics.JudgeLog;

/** A {@link JudgeLog} kept in an {@link AppendLog}: each verdict is on disk before the metric sees it. */
final class StoredJudgements implements JudgeLog, Closeable {
    private final AppendLog log;
    private final Map<String, Double> scores = new HashMap<>();

    private StoredJudgements(AppendLog log) {
        this.log = log;
        for (ObjectNode record : log.existing()) {
            scores.putIfAbsent(key(record.path("id").asText(), record.path("prompt").asText()), record.path("score").asDouble());
        }
    }

    static StoredJudgements open(Path file) throws IOException {
        return new StoredJudgements(AppendLog.open(file));
    }

    private static String key(String id, String prompt) {
        return id + "\u0000" + prompt;
    }

    @Override
    public double score(String itemId, String prompt, Judgement judge) throws IOException, InterruptedException {
        Double known;
        synchronized (this) {
            known = scores.get(key(itemId, prompt));
        }
        if (known != null) {
            return known;
        }
        Verdict verdict = judge.get();
        ObjectNode record = JsonLines.JSON.createObjectNode();
        record.put("id", itemId);
        record.put("prompt", prompt);
        record.put("score", verdict.score());
        record.put("verdict", verdict.text());
        synchronized (this) {
            log.append(record);
            scores.put(key(itemId, prompt), verdict.score());
        }
        return verdict.score();
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
