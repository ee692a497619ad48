package dev.kopi.hub;

import java.net.URI;

/**
 * What a HEAD of a file's resolve URL tells: the commit, the file's ETag (the blob's name in the cache and its
 * checksum: a SHA-256 for LFS files, the git blob sha1 otherwise), its size and where to download it from.
 */
record FileMetadata(String commit, String etag, long size, URI downloadUri) {
}
