package dev.kopi.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * HTTP for the hub: the token goes only to the hub's own host, redirects are followed by hand so that a hop to a
 * CDN never carries the token, and transient failures (connect errors, 5xx, 429) are retried with exponential
 * backoff, honouring {@code Retry-After}.
 */
final class HttpTransport {
    private static final int MAX_REDIRECTS = 10;
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    /** How far to follow redirects. */
    enum Redirects {
        /** To any host: the token is dropped when the host changes. */
        ALL,
        /** Only within the same host (a renamed repository), stopping at a redirect to a CDN or blob store. */
        SAME_HOST,
    }

    /** Waits between retries; tests replace it to run without real delays. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final HubConfig config;
    private final Sleeper sleeper;
    private HttpClient client;

    /** A transport whose HTTP client is made on first use: commands that only read the cache never pay for TLS setup. */
    HttpTransport(HubConfig config) {
        this(config, null, duration -> Thread.sleep(duration));
    }

    HttpTransport(HubConfig config, HttpClient client, Sleeper sleeper) {
        this.config = config;
        this.client = client;
        this.sleeper = sleeper;
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(20))
                    .build();
        }
        return client;
    }

    HubConfig config() {
        return config;
    }

    /**
     * Sends a request and returns the response with its body unread (the caller closes it), retrying transient
     * failures. A response that is still 5xx or 429 after the last try, or a connection that cannot be made,
     * becomes a {@link HubException} of kind {@link HubException.Kind#UNREACHABLE}.
     */
    HttpResponse<InputStream> send(String method, URI uri, Map<String, String> headers, Redirects redirects) {
        for (int attempt = 1; ; attempt++) {
            Duration wait;
            try {
                HttpResponse<InputStream> response = sendFollowing(method, uri, headers, redirects);
                int status = response.statusCode();
                if (status != 429 && status < 500) {
                    return response;
                }
                response.body().close();
                if (attempt >= config.maxAttempts()) {
                    throw new HubException(HubException.Kind.UNREACHABLE, "the hub kept failing: HTTP " + status
                            + " from " + uri + " after " + attempt + " tries");
                }
                wait = retryAfter(response).orElse(backoff(attempt));
            } catch (IOException e) {
                if (e instanceof InterruptedIOException) {
                    throw new HubException(HubException.Kind.UNREACHABLE, "interrupted while contacting " + uri.getHost(), e);
                }
                if (attempt >= config.maxAttempts()) {
                    throw new HubException(HubException.Kind.UNREACHABLE, "cannot reach " + uri.getScheme() + "://"
                            + uri.getAuthority() + " (" + describeConnectFailure(e) + ") after " + attempt + " tries");
                }
                wait = backoff(attempt);
            }
            pause(wait);
        }
    }

    /** The wait before try {@code attempt + 1}: the initial backoff doubled per failed try, capped. */
    Duration backoff(int attempt) {
        Duration delay = config.initialBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        return delay.compareTo(HubConfig.MAX_BACKOFF) > 0 ? HubConfig.MAX_BACKOFF : delay;
    }

    void pause(Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(HubException.Kind.UNREACHABLE, "interrupted while waiting to retry", e);
        }
    }

    private HttpResponse<InputStream> sendFollowing(String method, URI start, Map<String, String> headers,
                                                    Redirects redirects) throws IOException {
        URI uri = start;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .header("User-Agent", "kopi/0.1");
            headers.forEach(request::header);
            if (isHub(uri)) {
                config.token().ifPresent(token -> request.header("Authorization", "Bearer " + token));
            }
            HttpResponse<InputStream> response;
            try {
                response = client().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
            Optional<String> location = response.headers().firstValue("Location");
            if (!isRedirect(response.statusCode()) || location.isEmpty()) {
                return response;
            }
            URI next = uri.resolve(location.get());
            if (redirects == Redirects.SAME_HOST && !sameOrigin(uri, next)) {
                return response;
            }
            response.body().close();
            if (hop >= MAX_REDIRECTS) {
                throw new HubException(HubException.Kind.PROTOCOL, "too many redirects from " + start);
            }
            uri = next;
        }
    }

    /** Whether a URL belongs to the configured hub, the only place the token may go. */
    boolean isHub(URI uri) {
        return sameOrigin(uri, config.endpoint());
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(lower(a.getScheme()), lower(b.getScheme()))
                && Objects.equals(lower(a.getHost()), lower(b.getHost()))
                && port(a) == port(b);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(java.util.Locale.ROOT);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** {@code Retry-After} as seconds or an HTTP date, capped so that a hostile value cannot stall kopi. */
    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            Duration wait;
            try {
                wait = Duration.ofSeconds(Long.parseLong(value.strip()));
            } catch (NumberFormatException notSeconds) {
                try {
                    wait = Duration.between(ZonedDateTime.now(),
                            ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
                } catch (DateTimeParseException notADate) {
                    return Optional.empty();
                }
            }
            if (wait.isNegative()) {
                wait = Duration.ZERO;
            }
            return Optional.of(wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait);
        });
    }

    /** The reason a request failed, in words: the JDK's connect failures often carry no message. */
    private static String describeConnectFailure(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof java.net.http.HttpConnectTimeoutException) {
            return "connection timed out";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
                return "unknown host; are you offline?";
            }
        }
        return describe(e);
    }

    static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
