package dev.kopi.hub;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** A separate process that pulls one spec: for tests of two processes pulling the same file at once. */
public final class PullMain {
    private PullMain() {}

    public static void main(String[] args) {
        HubConfig config = new HubConfig(URI.create(args[0]), Optional.empty(), Path.of(args[1]), false, 4,
                Duration.ofMillis(1), 2);
        PullResult result = new HubClient(config).pull(ModelSpec.parse(args[2]), "main", ProgressListener.NONE);
        System.out.println(result.modelPath());
    }
}
