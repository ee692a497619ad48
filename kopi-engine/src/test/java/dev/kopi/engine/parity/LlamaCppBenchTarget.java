package dev.kopi.engine.parity;

import dev.kopi.engine.bench.BenchTarget;
import dev.kopi.testkit.LlamaCppModel;

/** libllama driven by kopi's copy of llama-bench's loop, for side-by-side numbers. */
final class LlamaCppBenchTarget implements BenchTarget {
    private final LlamaCppModel model;

    LlamaCppBenchTarget(LlamaCppModel model) {
        this.model = model;
    }

    @Override
    public String modelType() {
        return model.description();
    }

    @Override
    public long modelSize() {
        return model.sizeBytes();
    }

    @Override
    public long parameterCount() {
        return model.parameterCount();
    }

    @Override
    public int vocabSize() {
        return model.vocabSize();
    }

    @Override
    public int firstToken(int fallback) {
        return model.firstToken(fallback);
    }

    @Override
    public void setThreads(int threads) {
        model.setThreads(threads);
    }

    @Override
    public void clear() {
        model.clear();
    }

    @Override
    public void evaluate(int[] tokens, int from, int count, int firstPosition) {
        model.decode(tokens, from, count, firstPosition, false);
        model.synchronize();
    }
}
