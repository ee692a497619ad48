package dev.kopi.hub;

/** The kinds of Hugging Face repository kopi reads: each has its own API path, download path and cache prefix. */
public enum RepoType {
    MODEL("models", ""),
    DATASET("datasets", "datasets/");

    private final String plural;
    private final String urlPrefix;

    RepoType(String plural, String urlPrefix) {
        this.plural = plural;
        this.urlPrefix = urlPrefix;
    }

    /** {@code models} or {@code datasets}: the segment of the API path and the prefix of the cache folder. */
    public String plural() {
        return plural;
    }

    /** What precedes {@code org/name} in download URLs: nothing for models, {@code datasets/} for data sets. */
    public String urlPrefix() {
        return urlPrefix;
    }
}
