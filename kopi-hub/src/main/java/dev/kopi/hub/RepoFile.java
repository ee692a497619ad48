package dev.kopi.hub;

/**
 * A file of a repository at one commit, as the hub lists it.
 *
 * @param path   the path inside the repository, with {@code /} separators
 * @param size   its size in bytes, or -1 when unknown
 * @param blobId the git blob id (sha1), or null
 * @param sha256 the SHA-256 of an LFS file's content, or null for a file kept in git itself
 */
public record RepoFile(String path, long size, String blobId, String sha256) {
    /** The last path segment. */
    public String fileName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
