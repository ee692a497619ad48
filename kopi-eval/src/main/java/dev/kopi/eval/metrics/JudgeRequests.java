package dev.kopi.eval.metrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.ToDoubleFunction;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kopi.eval.backend.Backend;
import dev.kopi.eval.backend.ChatMessage;
import dev.kopi.eval.backend.ChatRequest;

/**
 * Asks an LLM judge many questions at once (up to the judge's concurrency), with the task's
 * {@code judge_generation_kwargs}, keeping each verdict in the {@link JudgeLog} as it arrives so that a resumed run
 * never asks again.
 */
final class JudgeRequests {
    /**
     * One question to the judge.
     *
     * @param tag what distinguishes questions of one item and turn (a criterion, an answer order)
     */
    record Question(String itemId, int turn, String tag, List<ChatMessage> messages) {
        /** The text that identifies the question in the log: its last message. */
        String key() {
            return messages.get(messages.size() - 1).content();
        }
    }

    private final Backend judge;
    private final JudgeLog log;
    private final int maxTokens;
    private final Map<String, Object> extra = new LinkedHashMap<>();

    /** @param generation the task's {@code judge.judge_generation_kwargs} ({@code max_tokens} and anything sent as is) */
    JudgeRequests(Backend judge, JudgeLog log, JsonNode generation) {
        this.judge = judge;
        this.log = log;
        this.maxTokens = generation.path("max_tokens").asInt(16384);
        generation.properties().forEach(e -> {
            if (!e.getKey().equals("max_tokens")) {
                extra.put(e.getKey(), e.getValue().isNumber() ? e.getValue().numberValue() : e.getValue().asText());
            }
        });
    }

    /** Each question's score: {@code verdictScore} of the judge's answer, or the score logged earlier. */
    Map<Question, Double> ask(List<Question> questions, ToDoubleFunction<String> verdictScore) throws IOException, InterruptedException {
        Map<Question, Double> scores = new ConcurrentHashMap<>();
        Semaphore slots = new Semaphore(judge.concurrency());
        List<Future<?>> pending = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Question q : questions) {
                pending.add(pool.submit(() -> {
                    slots.acquire();
                    try {
                        scores.put(q, log.score(q.itemId(), q.key(), () -> {
                            String verdict = judge.complete(new ChatRequest(q.messages(), maxTokens, List.of(), null, Map.of(), extra)).content();
                            return new JudgeLog.Verdict(verdictScore.applyAsDouble(verdict), verdict);
                        }));
                    } finally {
                        slots.release();
                    }
                    return null;
                }));
            }
            for (Future<?> future : pending) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof IOException io) {
                        throw new IOException("judge failed: " + io.getMessage() + "; verdicts so far are kept, run again to resume", io);
                    }
                    throw new IOException("judge failed: " + cause, cause);
                }
            }
        }
        return scores;
    }
}
