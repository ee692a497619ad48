package dev.kopi.hub;

import java.nio.file.Path;

/**
 * A file of a cached snapshot.
 *
 * @param path  its path inside the repository
 * @param local the snapshot entry (a symlink to the blob, as huggingface_hub makes it)
 * @param size  its size in bytes
 */
public record CachedFile(String path, Path local, long size) {
}
