package dev.kopi.hub;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What {@code -m} means in every kopi command: a path to a model, the name of a cached model
 * ({@code org/name[:QUANT]}), or the name of a model on the hub that is pulled after asking (or at once with
 * {@code --yes}). Without {@code -m}, the {@link DefaultModel}.
 */
public final class ModelResolver {
    private static final String MAIN = "main";

    private final HubClient client;
    private final Map<String, String> env;

    public ModelResolver(HubClient client, Map<String, String> env) {
        this.client = client;
        this.env = env;
    }

    /**
     * The local path of a model: a file or folder as given, else the cached or freshly pulled model for a name.
     * A blank or null spec means the default model.
     */
    public Path resolve(String spec, boolean assumeYes, Prompt prompt, ProgressListener progress) {
        if (spec == null || spec.isBlank()) {
            return resolveDefault(assumeYes, prompt, progress);
        }
        Path asPath = existingPath(spec);
        if (asPath != null) {
            return asPath;
        }
        ModelSpec model;
        try {
            model = ModelSpec.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new HubException(HubException.Kind.NOT_FOUND, "'" + spec + "' is neither an existing file nor a model "
                    + "name (org/name or org/name:QUANT)");
        }
        return resolveOrAdvise(model, assumeYes, prompt, progress, model.toString());
    }

    /** The default model, pulled if needed; with no network and no cached copy, says plainly what to do. */
    public Path resolveDefault(boolean assumeYes, Prompt prompt, ProgressListener progress) {
        String spec = DefaultModel.spec(env);
        Path asPath = existingPath(spec);
        if (asPath != null) {
            return asPath;
        }
        return resolveOrAdvise(ModelSpec.parse(spec), assumeYes, prompt, progress,
                "no model given (-m) and the default model " + spec);
    }

    /**
     * A named model, cached or pulled; with no network (or offline) and no cached copy, an error that says what
     * to do instead: pull when online, pass a file, or try kopi on a synthetic model.
     */
    private Path resolveOrAdvise(ModelSpec model, boolean assumeYes, Prompt prompt, ProgressListener progress,
            String what) {
        try {
            return resolveName(model, assumeYes, prompt, progress);
        } catch (HubException e) {
            if (e.kind() == HubException.Kind.UNREACHABLE || e.kind() == HubException.Kind.NOT_CACHED) {
                throw new HubException(e.kind(), what + " is not downloaded, and it cannot be now ("
                        + e.getMessage() + "). When online, run 'kopi pull " + model + "'; or pass -m with the path "
                        + "of a GGUF file; or try kopi out on a small synthetic model with 'kopi synth'", e);
            }
            throw e;
        }
    }

    private Path resolveName(ModelSpec model, boolean assumeYes, Prompt prompt, ProgressListener progress) {
        var cached = client.cached(model, MAIN);
        if (cached.isPresent()) {
            return cached.get().modelPath();
        }
        if (client.config().offline()) {
            return client.pull(model, MAIN, progress).modelPath(); // reports the offline miss
        }
        RepoListing listing = client.listing(model.repo(), MAIN);
        FileSelection selection = FileSelector.select(model.repo(), HubClient.paths(listing), model.selector());
        if (!assumeYes) {
            long bytes = listing.files().stream().filter(f -> selection.paths().contains(f.path()))
                    .mapToLong(f -> Math.max(0, f.size())).sum();
            String what = selection.primary() != null ? selection.primary() : selection.paths().size() + " files";
            String question = model + " is not downloaded. Download it now (" + what + ", " + Sizes.human(bytes)
                    + ") from " + client.config().endpoint() + "?";
            if (!prompt.interactive()) {
                throw new HubException(HubException.Kind.DECLINED, model + " is not downloaded; run 'kopi pull " + model
                        + "' first, or pass --yes to download it (" + Sizes.human(bytes) + ")");
            }
            if (!prompt.confirm(question)) {
                throw new HubException(HubException.Kind.DECLINED, model + " was not downloaded; 'kopi pull " + model
                        + "' downloads it");
            }
        }
        return client.pull(listing, selection, MAIN, progress).modelPath();
    }

    private static Path existingPath(String spec) {
        try {
            Path path = Path.of(spec.startsWith("~/") ? System.getProperty("user.home") + spec.substring(1) : spec);
            return Files.exists(path) ? path.toAbsolutePath() : null;
        } catch (InvalidPathException notAPath) {
            return null;
        }
    }
}
