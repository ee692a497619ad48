package dev.kopi.eval.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.kopi.hub.HubClient;
import dev.kopi.hub.HubException;
import dev.kopi.hub.ProgressListener;
import dev.kopi.hub.RepoFile;
import dev.kopi.hub.RepoId;
import dev.kopi.hub.RepoListing;

/**
 * Dataset files through kopi's hub client: the shared Hugging Face cache, {@code HF_TOKEN} for gated datasets such
 * as {@code aisingapore/*}, resumable verified downloads, offline mode. Files are taken at one commit per dataset.
 */
public final class HubDatasetFiles implements DatasetFiles {
    private final HubClient hub;
    private final String revision;
    private final Map<String, RepoListing> listings = new ConcurrentHashMap<>();

    public HubDatasetFiles(HubClient hub, String revision) {
        this.hub = hub;
        this.revision = revision;
    }

    private RepoListing listing(String dataset) throws IOException {
        try {
            return listings.computeIfAbsent(dataset, d -> hub.listing(RepoId.dataset(d), revision));
        } catch (HubException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String dataset) throws IOException {
        return listing(dataset).files().stream().map(RepoFile::path).toList();
    }

    @Override
    public Path fetch(String dataset, String path) throws IOException {
        RepoListing listing = listing(dataset);
        try {
            return hub.download(RepoId.dataset(dataset), listing.commit(), path, ProgressListener.NONE);
        } catch (HubException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
