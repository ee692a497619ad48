package dev.kopi.hub;

import java.util.List;

/**
 * The files of a repository at one commit.
 *
 * @param repo   the repository
 * @param commit the full commit hash the revision pointed to
 * @param files  its files, in the hub's order
 */
public record RepoListing(RepoId repo, String commit, List<RepoFile> files) {
    public RepoListing {
        files = List.copyOf(files);
    }
}
