package dev.kopi.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The hub's HTTP API: repository listings and file metadata. */
final class HubApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpTransport transport;

    HubApi(HttpTransport transport) {
        this.transport = transport;
    }

    HttpTransport transport() {
        return transport;
    }

    /**
     * The files of a repository at a revision (branch, tag or commit), from
     * {@code GET /api/{models|datasets}/{repo}/revision/{rev}?blobs=true}, which gives the commit hash and each
     * file's size, git blob id and LFS SHA-256 in one answer.
     */
    RepoListing listing(RepoId repo, String revision) {
        URI uri = URI.create(transport.config().endpoint() + "/api/" + repo.type().plural() + "/" + repo.name()
                + "/revision/" + encode(revision) + "?blobs=true");
        HttpResponse<InputStream> response = transport.send("GET", uri, Map.of(), HttpTransport.Redirects.ALL);
        try (InputStream body = response.body()) {
            check(response, repo, revision, null);
            JsonNode root;
            try {
                root = JSON.readTree(body);
            } catch (IOException e) {
                throw new HubException(HubException.Kind.PROTOCOL, "the hub's listing of " + repo + " is not valid JSON ("
                        + HttpTransport.describe(e) + ")", e);
            }
            String commit = root.path("sha").asText("");
            if (!commit.matches("[0-9a-f]{40}")) {
                throw new HubException(HubException.Kind.PROTOCOL, "the hub's listing of " + repo + " has no commit hash");
            }
            List<RepoFile> files = new ArrayList<>();
            for (JsonNode sibling : root.path("siblings")) {
                String path = sibling.path("rfilename").asText("");
                if (path.isEmpty() || path.startsWith("/") || path.contains("..") || path.contains("\\")) {
                    throw new HubException(HubException.Kind.PROTOCOL, "the hub lists an unsafe file name '" + path + "' in " + repo);
                }
                JsonNode lfs = sibling.path("lfs");
                String sha256 = lfs.isObject() ? lfs.path("sha256").asText(null) : null;
                long size = lfs.isObject() && lfs.has("size") ? lfs.path("size").asLong(-1) : sibling.path("size").asLong(-1);
                files.add(new RepoFile(path, size, sibling.path("blobId").asText(null), sha256));
            }
            return new RepoListing(repo, commit, files);
        } catch (IOException e) {
            throw new HubException(HubException.Kind.UNREACHABLE, "reading the listing of " + repo + " failed: "
                    + HttpTransport.describe(e), e);
        }
    }

    /** The metadata of one file from a HEAD of its resolve URL, stopping at a redirect to another host. */
    FileMetadata metadata(RepoId repo, String revision, String path) {
        URI uri = resolveUri(repo, revision, path);
        HttpResponse<InputStream> response = transport.send("HEAD", uri, Map.of("Accept-Encoding", "identity"),
                HttpTransport.Redirects.SAME_HOST);
        try {
            response.body().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        check(response, repo, revision, path);
        var headers = response.headers();
        String commit = headers.firstValue("X-Repo-Commit").orElse(null);
        String etag = headers.firstValue("X-Linked-Etag").or(() -> headers.firstValue("ETag")).map(HubApi::normalizeEtag)
                .orElseThrow(() -> new HubException(HubException.Kind.PROTOCOL, "the hub sent no ETag for " + path + " of " + repo
                        + "; is HF_ENDPOINT (" + transport.config().endpoint() + ") a Hugging Face hub?"));
        if (!etag.matches("[0-9A-Za-z._-]+")) {
            throw new HubException(HubException.Kind.PROTOCOL, "the hub sent an unusable ETag '" + etag + "' for " + path);
        }
        long size = headers.firstValue("X-Linked-Size").or(() -> headers.firstValue("Content-Length"))
                .map(HubApi::parseSize).orElse(-1L);
        URI download = response.statusCode() / 100 == 3
                ? uri.resolve(headers.firstValue("Location").orElseThrow())
                : uri;
        return new FileMetadata(commit, etag, size, download);
    }

    URI resolveUri(RepoId repo, String revision, String path) {
        StringBuilder encodedPath = new StringBuilder();
        for (String segment : path.split("/")) {
            if (!encodedPath.isEmpty()) {
                encodedPath.append('/');
            }
            encodedPath.append(encode(segment));
        }
        return URI.create(transport.config().endpoint() + "/" + repo.type().urlPrefix() + repo.name() + "/resolve/"
                + encode(revision) + "/" + encodedPath);
    }

    /** Turns 401, 403 and 404 into messages that say what to do; other non-2xx/3xx statuses into a protocol error. */
    void check(HttpResponse<?> response, RepoId repo, String revision, String path) {
        int status = response.statusCode();
        if (status < 400) {
            return;
        }
        String errorCode = response.headers().firstValue("X-Error-Code").orElse("");
        String what = path == null ? repo.toString() : path + " in " + repo;
        String page = transport.config().endpoint() + "/" + repo.type().urlPrefix() + repo.name();
        if (status == 401 || status == 403 || errorCode.equals("GatedRepo")) {
            String advice = transport.config().token().isPresent()
                    ? "your HF_TOKEN has no access: accept the licence on " + page + " with that account, or check the token"
                    : "it is gated or private: accept the licence on " + page + " and set HF_TOKEN to an access token of that account";
            throw new HubException(HubException.Kind.ACCESS_DENIED, "access to " + what + " was refused (HTTP " + status
                    + "): " + advice);
        }
        if (status == 404) {
            String message = switch (errorCode) {
                case "RevisionNotFound" -> "revision '" + revision + "' of " + repo + " does not exist";
                case "EntryNotFound" -> what + " does not exist at revision '" + revision + "'";
                default -> path == null ? repo + " was not found on " + transport.config().endpoint()
                        + " (check the name; a private repository also needs HF_TOKEN)"
                        : what + " was not found at revision '" + revision + "'";
            };
            throw new HubException(HubException.Kind.NOT_FOUND, message);
        }
        throw new HubException(HubException.Kind.PROTOCOL, "the hub answered HTTP " + status + " for " + what);
    }

    /** An ETag without quotes or the weak-validator prefix, as huggingface_hub names blobs. */
    static String normalizeEtag(String etag) {
        String e = etag.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e;
    }

    private static long parseSize(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
