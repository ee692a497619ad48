package dev.kopi.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where the hub is and where its cache lives, read from the same environment variables huggingface_hub reads,
 * so that kopi and Python tools share one cache.
 *
 * @param endpoint         {@code HF_ENDPOINT}, default {@code https://huggingface.co}
 * @param token            {@code HF_TOKEN}, else the file {@code $HF_HOME/token}; empty for anonymous access
 * @param cacheDir         {@code HF_HUB_CACHE}, else {@code $HF_HOME/hub}, else {@code ~/.cache/huggingface/hub}
 * @param offline          {@code HF_HUB_OFFLINE=1}: resolve from the cache only
 * @param maxAttempts      tries per request before giving up (connect errors, 5xx, 429, broken downloads)
 * @param initialBackoff   the first wait between tries; it doubles each time, up to {@link #MAX_BACKOFF}
 * @param parallelDownloads files downloaded at once
 */
public record HubConfig(URI endpoint, Optional<String> token, Path cacheDir, boolean offline,
                        int maxAttempts, Duration initialBackoff, int parallelDownloads) {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    public HubConfig {
        String text = endpoint.toString();
        if (text.endsWith("/")) {
            endpoint = URI.create(text.substring(0, text.length() - 1));
        }
        if (maxAttempts < 1 || parallelDownloads < 1) {
            throw new IllegalArgumentException("maxAttempts and parallelDownloads must be at least 1");
        }
    }

    /** The configuration of this process's environment. */
    public static HubConfig fromEnvironment() {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** The configuration for the given environment variables and home folder. */
    public static HubConfig fromEnvironment(Map<String, String> env, Path home) {
        String endpoint = nonBlank(env.get("HF_ENDPOINT")).orElse(DEFAULT_ENDPOINT);
        Path hfHome = nonBlank(env.get("HF_HOME")).map(Path::of)
                .orElseGet(() -> nonBlank(env.get("XDG_CACHE_HOME")).map(Path::of).orElse(home.resolve(".cache"))
                        .resolve("huggingface"));
        Path cache = nonBlank(env.get("HF_HUB_CACHE"))
                .or(() -> nonBlank(env.get("HUGGINGFACE_HUB_CACHE")))
                .map(Path::of)
                .orElse(hfHome.resolve("hub"));
        Optional<String> token = nonBlank(env.get("HF_TOKEN"))
                .or(() -> nonBlank(env.get("HUGGING_FACE_HUB_TOKEN")))
                .or(() -> readTokenFile(nonBlank(env.get("HF_TOKEN_PATH")).map(Path::of).orElse(hfHome.resolve("token"))));
        boolean offline = isTrue(env.get("HF_HUB_OFFLINE"));
        return new HubConfig(URI.create(endpoint), token, cache, offline, 5, Duration.ofSeconds(1), 4);
    }

    public HubConfig withEndpoint(URI newEndpoint) {
        return new HubConfig(newEndpoint, token, cacheDir, offline, maxAttempts, initialBackoff, parallelDownloads);
    }

    public HubConfig withToken(String newToken) {
        return new HubConfig(endpoint, Optional.ofNullable(newToken), cacheDir, offline, maxAttempts, initialBackoff,
                parallelDownloads);
    }

    public HubConfig withCacheDir(Path newCacheDir) {
        return new HubConfig(endpoint, token, newCacheDir, offline, maxAttempts, initialBackoff, parallelDownloads);
    }

    public HubConfig withOffline(boolean newOffline) {
        return new HubConfig(endpoint, token, cacheDir, newOffline, maxAttempts, initialBackoff, parallelDownloads);
    }

    public HubConfig withRetries(int newMaxAttempts, Duration newInitialBackoff) {
        return new HubConfig(endpoint, token, cacheDir, offline, newMaxAttempts, newInitialBackoff, parallelDownloads);
    }

    public HubConfig withParallelDownloads(int files) {
        return new HubConfig(endpoint, token, cacheDir, offline, maxAttempts, initialBackoff, files);
    }

    /** Never print the token itself. */
    @Override
    public String toString() {
        return "HubConfig[endpoint=" + endpoint + ", token=" + (token.isPresent() ? "set" : "none") + ", cacheDir="
                + cacheDir + ", offline=" + offline + "]";
    }

    private static Optional<String> readTokenFile(Path file) {
        try {
            return Files.isRegularFile(file) ? nonBlank(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException unreadable) {
            return Optional.empty();
        }
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** huggingface_hub's reading of boolean variables. */
    private static boolean isTrue(String value) {
        return value != null && switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "1", "on", "yes", "true" -> true;
            default -> false;
        };
    }
}
