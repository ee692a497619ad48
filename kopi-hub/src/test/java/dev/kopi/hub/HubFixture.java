package dev.kopi.hub;

import dev.kopi.testkit.MockHub;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Clients of a {@link MockHub} for tests: fast retries, no real backoff waits. */
final class HubFixture {
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(20);

    private HubFixture() {}

    static HubConfig config(MockHub hub, Path cache) {
        return new HubConfig(hub.endpoint(), Optional.empty(), cache, false, 4, Duration.ofMillis(1), 4);
    }

    static HubClient client(HubConfig config) {
        return client(config, CacheStorage.FILE_SYSTEM);
    }

    static HubClient client(HubConfig config, CacheStorage storage) {
        return new HubClient(config, storage, new HttpTransport(config, null, duration -> { }), STALL_TIMEOUT);
    }

    /** A client that gives up on a silent connection after {@code stallTimeout}. */
    static HubClient client(HubConfig config, Duration stallTimeout) {
        return new HubClient(config, CacheStorage.FILE_SYSTEM, new HttpTransport(config, null, duration -> { }), stallTimeout);
    }
}
