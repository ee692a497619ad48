package dev.kopi.hub;

/**
 * What a user names on the command line: {@code org/name}, {@code org/name:Q4_K_M}, {@code org/name:file.gguf},
 * or {@code datasets/org/name[:pattern]} for a data set.
 *
 * @param repo     the repository
 * @param selector a quant tag, a file path or a glob; null for the repository's default choice
 */
public record ModelSpec(RepoId repo, String selector) {

    /** Parses a spec; throws IllegalArgumentException with a message naming the expected form. */
    public static ModelSpec parse(String spec) {
        String s = spec.strip();
        for (String prefix : new String[] {"https://huggingface.co/", "huggingface.co/", "hf.co/"}) {
            if (s.startsWith(prefix)) {
                s = s.substring(prefix.length());
            }
        }
        RepoType type = RepoType.MODEL;
        if (s.startsWith("datasets/")) {
            type = RepoType.DATASET;
            s = s.substring("datasets/".length());
        }
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon);
        String selector = colon < 0 ? null : s.substring(colon + 1).strip();
        if (selector != null && selector.isEmpty()) {
            throw new IllegalArgumentException("'" + spec + "' ends with ':' but names no quant tag or file");
        }
        return new ModelSpec(new RepoId(type, name), selector);
    }

    @Override
    public String toString() {
        return selector == null ? repo.toString() : repo + ":" + selector;
    }
}
