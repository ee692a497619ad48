package dev.kopi.hub;

import dev.kopi.testkit.MockHub;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Clients of a {@link MockHub} for tests: fast retries, no real backoff waits. */
final class HubFixture {
    private HubFixture() {}

    static HubConfig config(MockHub hub, Path cache) {
        return new HubConfig(hub.endpoint(), Optional.empty(), cache, false, 4, Duration.ofMillis(1), 4);
    }

    static HubClient client(HubConfig config) {
        return client(config, CacheStorage.FILE_SYSTEM);
    }

    static HubClient client(HubConfig config, CacheStorage storage) {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
        return new HubClient(config, storage, new HttpTransport(config, http, duration -> { }), Duration.ofSeconds(20));
    }

    /** A client that gives up on a silent connection after {@code stallTimeout}. */
    static HubClient client(HubConfig config, Duration stallTimeout) {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        return new HubClient(config, CacheStorage.FILE_SYSTEM, new HttpTransport(config, http, duration -> { }), stallTimeout);
    }
}
