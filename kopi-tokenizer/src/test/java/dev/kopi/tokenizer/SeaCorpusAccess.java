package dev.kopi.tokenizer;

import java.util.List;

/** Opens the package-private {@link SeaCorpus} to the benchmarks in their own package. */
public final class SeaCorpusAccess {
    private SeaCorpusAccess() {}

    public static List<String> generate(long seed, int minBytes) {
        return SeaCorpus.generate(seed, minBytes);
    }
}
