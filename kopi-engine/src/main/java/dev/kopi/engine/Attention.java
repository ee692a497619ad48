package dev.kopi.engine;

import dev.kopi.kernels.VectorOps;
import dev.kopi.kernels.WorkerPool;

/**
 * Causal grouped-query attention of a batch over the KV cache. The batch's keys and values are first appended
 * to their sequences' slots; then every (token, query head) pair attends to positions {@code 0 .. position} of
 * its own sequence (on a sliding-window layer only to the last {@code window} of them), which makes a prompt
 * chunk causal and keeps sequences of a batch apart. Scores are {@code softcap(scale · q·k)} as the model's
 * {@link ModelConfig.AttentionConfig} says. Pairs run in parallel on the worker pool, so decode parallelises over
 * heads and prefill over tokens and heads.
 *
 * <p>The cache keeps every position even for windowed layers (llama.cpp's {@code swa_full} layout): memory is
 * that of a model without windows, and the window is applied here, by the first position a query sees.
 */
final class Attention {
    private final ModelConfig config;
    private final WorkerPool pool;
    private final float scale;
    private final float softcap;
    private final ThreadLocal<float[]> scores = ThreadLocal.withInitial(() -> new float[0]);

    Attention(ModelConfig config, WorkerPool pool) {
        this.config = config;
        this.pool = pool;
        this.scale = config.attention().scale();
        this.softcap = config.attention().logitSoftcap();
    }

    /**
     * Appends keys {@code k} and values {@code v} of batch tokens {@code [start, start + n)} to the cache of
     * {@code layer}, then writes each token's attention output (all heads, {@code headCount * valueLength}
     * wide) to {@code out}.
     */
    void run(int layer, Batch batch, int start, int n, float[] q, float[] k, float[] v, KvCache cache, float[] out) {
        int keyDim = config.keyDim();
        int valueDim = config.valueDim();
        for (int t = 0; t < n; t++) {
            int s = batch.sequence(start + t);
            int p = batch.position(start + t);
            System.arraycopy(k, t * keyDim, cache.keys(layer, s), p * keyDim, keyDim);
            System.arraycopy(v, t * valueDim, cache.values(layer, s), p * valueDim, valueDim);
        }
        int heads = config.headCount();
        pool.parallelFor(n * heads, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                int t = i / heads;
                attendHead(layer, batch.sequence(start + t), batch.position(start + t), i % heads,
                        q, t * config.queryDim(), cache, out, t * heads * config.valueLength());
            }
        });
    }

    /** One query head of one token: softmax(softcap(scale · q·K^T)) · V over the positions it sees. */
    private void attendHead(int layer, int sequence, int position, int h, float[] q, int qRow, KvCache cache,
                            float[] out, int outRow) {
        int headDim = config.keyLength();
        int valueLength = config.valueLength();
        int kvHead = h / (config.headCount() / config.headCountKv());
        int keyDim = config.keyDim();
        int valueDim = config.valueDim();
        float[] keys = cache.keys(layer, sequence);
        float[] values = cache.values(layer, sequence);
        int first = config.attention().slidingWindow().firstVisible(layer, position);
        int len = position + 1 - first;
        float[] w = scoreBuffer(len);
        VectorOps.dotRows(q, qRow + h * headDim, keys, first * keyDim + kvHead * headDim, keyDim, len, headDim,
                scale, w, 0);
        if (softcap != 0.0f) {
            for (int j = 0; j < len; j++) {
                w[j] = softcap * (float) Math.tanh(w[j] / softcap);
            }
        }
        VectorOps.softmax(w, 0, len);
        VectorOps.weightedRowSum(w, 0, len, values, first * valueDim + kvHead * valueLength, valueDim, valueLength,
                out, outRow + h * valueLength);
    }

    private float[] scoreBuffer(int n) {
        float[] w = scores.get();
        if (w.length < n) {
            w = new float[Math.max(n, 2 * w.length)];
            scores.set(w);
        }
        return w;
    }
}
