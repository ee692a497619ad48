package dev.kopi.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Hugging Face hub on 127.0.0.1 for tests: the revision API with {@code blobs=true}, {@code resolve} URLs that
 * answer a HEAD with the hub's checksum headers and redirect LFS files to a second server (a different port,
 * standing in for the CDN), Range requests and 416 on the blob server, gated repositories that want a token,
 * and faults on demand (a connection cut after N bytes, corrupt content, 5xx/429 bursts, an ignored Range).
 */
public final class MockHub implements AutoCloseable {
    /** A request the servers received. */
    public record Request(String server, String method, String path, String range, String authorization) {}

    /** A repository served by the hub. */
    public final class Repo {
        final String type;
        final String name;
        final String commit;
        final Map<String, FileEntry> files = new LinkedHashMap<>();
        volatile boolean gated;

        Repo(String type, String name) {
            this.type = type;
            this.name = name;
            this.commit = sha1Hex((type + "/" + name + "@" + COMMITS.incrementAndGet()).getBytes(StandardCharsets.UTF_8));
        }

        /** Adds a file stored in LFS (served from the blob host, checked by SHA-256). */
        public Repo lfs(String path, byte[] content) {
            files.put(path, new FileEntry(path, content, true));
            return this;
        }

        /** Adds a small file kept in git (served by the hub itself, checked by its git blob id). */
        public Repo git(String path, byte[] content) {
            files.put(path, new FileEntry(path, content, false));
            return this;
        }

        /** Makes the repository demand a token ({@link #TOKEN}) for downloads. */
        public Repo gated() {
            gated = true;
            return this;
        }

        public String commit() {
            return commit;
        }

        public byte[] content(String path) {
            return files.get(path).content;
        }
    }

    record FileEntry(String path, byte[] content, boolean lfs) {
        String sha256() {
            return hex("SHA-256", content);
        }

        String gitBlobId() {
            byte[] header = ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII);
            byte[] all = new byte[header.length + content.length];
            System.arraycopy(header, 0, all, 0, header.length);
            System.arraycopy(content, 0, all, header.length, content.length);
            return sha1Hex(all);
        }
    }

    /** The token that opens gated repositories. */
    public static final String TOKEN = "hf_mocktoken";
    private static final AtomicInteger COMMITS = new AtomicInteger();

    private final HttpServer hub;
    private final HttpServer blobs;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, FileEntry> blobsBySha = new ConcurrentHashMap<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, long[]> cuts = new ConcurrentHashMap<>();
    private final Map<String, Boolean> corrupt = new ConcurrentHashMap<>();
    private final Map<String, long[]> stalls = new ConcurrentHashMap<>();
    private volatile int failStatus;
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile String retryAfter;
    private volatile boolean ignoreRange;
    private volatile long blobDelayMillis;
    private volatile boolean hideSizes;

    private MockHub() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        hub = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        blobs = blobServer(loopback);
        hub.createContext("/", exchange -> handle(exchange, "hub", this::serveHub));
        blobs.createContext("/", exchange -> handle(exchange, "blobs", this::serveBlob));
        hub.setExecutor(executor);
        blobs.setExecutor(executor);
        hub.start();
        blobs.start();
    }

    /**
     * The blob host listens on another loopback address where the system has one (Linux routes all of 127/8), so
     * that it is a different host name, as a CDN is: clients follow redirects within a host name, not beyond.
     */
    private static HttpServer blobServer(InetAddress loopback) throws IOException {
        try {
            return HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 2}), 0), 0);
        } catch (IOException onlyOneLoopbackAddress) {
            return HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        }
    }

    public static MockHub start() {
        try {
            return new MockHub();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the mock hub on 127.0.0.1", e);
        }
    }

    /** What {@code HF_ENDPOINT} should be. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + hub.getAddress().getPort());
    }

    public Repo model(String name) {
        return repos.computeIfAbsent("models/" + name, k -> new Repo("models", name));
    }

    public Repo dataset(String name) {
        return repos.computeIfAbsent("datasets/" + name, k -> new Repo("datasets", name));
    }

    /** The next {@code times} downloads of the file end after {@code bytes} bytes, as if the connection dropped. */
    public void cutAfter(String path, long bytes, int times) {
        cuts.put(path, new long[] {bytes, times});
    }

    /** The next download of the file goes silent after {@code bytes} bytes, keeping the connection open. */
    public void stallAfter(String path, long bytes) {
        stalls.put(path, new long[] {bytes, 1});
    }

    /** Serves the file with one byte changed while the hub still advertises the true checksum. */
    public void corrupt(String path) {
        corrupt.put(path, true);
    }

    /** The next {@code times} hub requests answer {@code status} (e.g. 503, 429), with an optional Retry-After. */
    public void failNext(int status, int times, String retryAfterValue) {
        failStatus = status;
        retryAfter = retryAfterValue;
        failuresLeft.set(times);
    }

    /** The blob host answers Range requests with the whole file (200), as some proxies do. */
    public void ignoreRange(boolean ignore) {
        ignoreRange = ignore;
    }

    /** Leaves sizes out of listings and headers, as a minimal mirror might. */
    public void hideSizes(boolean hide) {
        hideSizes = hide;
    }

    /** Slows every blob chunk, so that concurrent downloads overlap. */
    public void slowBlobs(long millisPerChunk) {
        blobDelayMillis = millisPerChunk;
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** How many GETs of a file's content the blob host or hub served. */
    public long downloads(String path) {
        return requests().stream().filter(r -> r.method().equals("GET") && r.path().endsWith("/" + path)).count();
    }

    @Override
    public void close() {
        hub.stop(0);
        blobs.stop(0);
        executor.shutdownNow();
    }

    private interface Handler {
        void serve(HttpExchange exchange, String path) throws IOException;
    }

    private void handle(HttpExchange exchange, String server, Handler handler) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        String target = server.equals("blobs") && query != null ? path + "/" + decode(query.replaceFirst("^path=", "")) : path;
        requests.add(new Request(server, exchange.getRequestMethod(), target,
                exchange.getRequestHeaders().getFirst("Range"), exchange.getRequestHeaders().getFirst("Authorization")));
        try (exchange) {
            if (server.equals("hub") && failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                if (retryAfter != null) {
                    exchange.getResponseHeaders().set("Retry-After", retryAfter);
                }
                send(exchange, failStatus, "busy".getBytes(StandardCharsets.UTF_8));
                return;
            }
            handler.serve(exchange, path);
        } catch (IOException clientWentAway) {
            // the client closed the connection (or a cut was injected): nothing to answer
        }
    }

    private void serveHub(HttpExchange exchange, String rawPath) throws IOException {
        List<String> segments = new ArrayList<>();
        for (String s : rawPath.substring(1).split("/")) {
            segments.add(decode(s));
        }
        if (segments.size() >= 6 && segments.get(0).equals("api") && segments.get(4).equals("revision")) {
            Repo repo = repos.get(segments.get(1) + "/" + segments.get(2) + "/" + segments.get(3));
            if (repo == null) {
                error(exchange, 404, "RepoNotFound");
                return;
            }
            if (!revisionMatches(repo, segments.get(5))) {
                error(exchange, 404, "RevisionNotFound");
                return;
            }
            byte[] json = listingJson(repo).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            send(exchange, 200, json);
            return;
        }
        String type = "models";
        List<String> rest = segments;
        if (!segments.isEmpty() && segments.get(0).equals("datasets")) {
            type = "datasets";
            rest = segments.subList(1, segments.size());
        }
        if (rest.size() >= 5 && rest.get(2).equals("resolve")) {
            Repo repo = repos.get(type + "/" + rest.get(0) + "/" + rest.get(1));
            if (repo == null) {
                error(exchange, 404, "RepoNotFound");
                return;
            }
            if (repo.gated) {
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                if (auth == null) {
                    error(exchange, 401, "GatedRepo");
                    return;
                }
                if (!auth.equals("Bearer " + TOKEN)) {
                    error(exchange, 403, "GatedRepo");
                    return;
                }
            }
            if (!revisionMatches(repo, rest.get(3))) {
                error(exchange, 404, "RevisionNotFound");
                return;
            }
            FileEntry file = repo.files.get(String.join("/", rest.subList(4, rest.size())));
            if (file == null) {
                error(exchange, 404, "EntryNotFound");
                return;
            }
            var headers = exchange.getResponseHeaders();
            headers.set("X-Repo-Commit", repo.commit);
            if (file.lfs()) {
                blobsBySha.put(file.sha256(), file);
                headers.set("X-Linked-Etag", "\"" + file.sha256() + "\"");
                if (!hideSizes) {
                    headers.set("X-Linked-Size", Long.toString(file.content().length));
                }
                headers.set("ETag", "\"" + file.gitBlobId() + "\"");
                headers.set("Location", "http://" + blobs.getAddress().getAddress().getHostAddress() + ":"
                        + blobs.getAddress().getPort() + "/blobs/" + file.sha256()
                        + "?path=" + file.path());
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            headers.set("ETag", "\"" + file.gitBlobId() + "\"");
            serveContent(exchange, file, false);
            return;
        }
        error(exchange, 404, "RepoNotFound");
    }

    private void serveBlob(HttpExchange exchange, String rawPath) throws IOException {
        String sha = rawPath.substring(rawPath.lastIndexOf('/') + 1);
        FileEntry file = blobsBySha.get(sha);
        if (file == null) {
            send(exchange, 404, new byte[0]);
            return;
        }
        serveContent(exchange, file, true);
    }

    private void serveContent(HttpExchange exchange, FileEntry file, boolean faults) throws IOException {
        byte[] content = file.content().clone();
        if (faults && corrupt.containsKey(file.path()) && content.length > 0) {
            content[content.length / 2] ^= 0x5a;
        }
        long start = 0;
        String range = exchange.getRequestHeaders().getFirst("Range");
        int status = 200;
        if (range != null && !ignoreRange && range.startsWith("bytes=") && range.endsWith("-")) {
            start = Long.parseLong(range.substring(6, range.length() - 1));
            if (start >= content.length) {
                exchange.getResponseHeaders().set("Content-Range", "bytes */" + content.length);
                send(exchange, 416, new byte[0]);
                return;
            }
            status = 206;
            exchange.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
        }
        long length = content.length - start;
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        long stopAfter = length;
        long[] cut = faults ? cuts.get(file.path()) : null;
        if (cut != null) {
            synchronized (cut) {
                if (cut[1] > 0) {
                    cut[1]--;
                    stopAfter = Math.max(0, Math.min(length, cut[0] - start));
                }
            }
        }
        long stallAt = -1;
        long[] stall = faults ? stalls.get(file.path()) : null;
        if (stall != null) {
            synchronized (stall) {
                if (stall[1] > 0) {
                    stall[1]--;
                    stallAt = Math.max(0, stall[0] - start);
                }
            }
        }
        exchange.sendResponseHeaders(status, length);
        OutputStream body = exchange.getResponseBody();
        int chunk = 16 * 1024;
        for (long off = 0; off < stopAfter; off += chunk) {
            if (stallAt >= 0 && off >= stallAt) {
                try {
                    Thread.sleep(60_000); // silent, connection open, until the client gives up or the hub closes
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            int n = (int) Math.min(chunk, stopAfter - off);
            body.write(content, (int) (start + off), n);
            body.flush();
            if (faults && blobDelayMillis > 0) {
                try {
                    Thread.sleep(blobDelayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        if (stopAfter < length) {
            // drop the connection mid-body: the server cannot finish the promised length
            throw new IOException("connection cut by the test");
        }
    }

    private static boolean revisionMatches(Repo repo, String revision) {
        return revision.equals("main") || revision.equals(repo.commit);
    }

    private static void error(HttpExchange exchange, int status, String code) throws IOException {
        exchange.getResponseHeaders().set("X-Error-Code", code);
        send(exchange, status, ("{\"error\":\"" + code + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private String listingJson(Repo repo) {
        StringBuilder json = new StringBuilder("{\"id\":\"").append(repo.name).append("\",\"sha\":\"").append(repo.commit)
                .append("\",\"siblings\":[");
        boolean first = true;
        for (FileEntry f : repo.files.values()) {
            json.append(first ? "" : ",").append("{\"rfilename\":\"").append(f.path()).append('"');
            if (!hideSizes) {
                json.append(",\"size\":").append(f.content().length);
            }
            json.append(",\"blobId\":\"").append(f.gitBlobId()).append('"');
            if (f.lfs()) {
                json.append(",\"lfs\":{\"sha256\":\"").append(f.sha256()).append('"')
                        .append(hideSizes ? "" : ",\"size\":" + f.content().length).append(",\"pointerSize\":134}");
            }
            json.append('}');
            first = false;
        }
        return json.append("]}").toString();
    }

    /** Deterministic pseudo-random content. */
    public static byte[] bytes(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static String sha256Hex(byte[] content) {
        return hex("SHA-256", content);
    }

    private static String sha1Hex(byte[] content) {
        return hex("SHA-1", content);
    }

    private static String hex(String algorithm, byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
