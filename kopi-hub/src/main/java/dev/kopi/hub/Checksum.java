package dev.kopi.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The check a downloaded file must pass before it enters the cache. LFS files (model weights) are checked
 * against their SHA-256, small files kept in git against their git blob id (a sha1 of {@code "blob <size>\0"}
 * followed by the content), and anything else against its size alone.
 */
final class Checksum {
    private final String algorithm;
    private final String expected;
    private final long size;
    private MessageDigest digest;

    private Checksum(String algorithm, String expected, long size) {
        this.algorithm = algorithm;
        this.expected = expected == null ? null : expected.toLowerCase(Locale.ROOT);
        this.size = size;
        reset();
    }

    /**
     * The check for a file with the given ETag (and, if the listing gave one, LFS SHA-256) and size; -1 when the
     * size is unknown.
     */
    static Checksum of(String etag, String listedSha256, long size) {
        if (listedSha256 != null && listedSha256.matches("[0-9a-fA-F]{64}")) {
            return new Checksum("SHA-256", listedSha256, size);
        }
        if (etag.matches("[0-9a-fA-F]{64}")) {
            return new Checksum("SHA-256", etag, size);
        }
        if (etag.matches("[0-9a-fA-F]{40}") && size >= 0) {
            return new Checksum("git blob sha1", etag, size);
        }
        return new Checksum(null, null, size);
    }

    void reset() {
        if (algorithm == null) {
            digest = null;
            return;
        }
        try {
            digest = MessageDigest.getInstance(algorithm.equals("SHA-256") ? "SHA-256" : "SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
        if (algorithm.equals("git blob sha1")) {
            digest.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
        }
    }

    void update(ByteBuffer bytes) {
        if (digest != null) {
            digest.update(bytes);
        }
    }

    /** Feeds the first {@code length} bytes of a partial download, so that a resumed download is checked whole. */
    void updateFrom(Path file, long length) throws IOException {
        if (digest == null) {
            return;
        }
        byte[] buffer = new byte[1 << 16];
        long left = length;
        try (InputStream in = Files.newInputStream(file)) {
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException("partial download " + file + " shrank while being read");
                }
                digest.update(buffer, 0, n);
                left -= n;
            }
        }
    }

    /** Null when the content passes, else what was expected and what arrived. */
    String mismatch(long actualSize) {
        if (size >= 0 && actualSize != size) {
            return "expected " + size + " bytes, got " + actualSize;
        }
        if (digest == null) {
            return null;
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        return actual.equals(expected) ? null : "expected " + algorithm + " " + expected + ", got " + actual;
    }

    /** {@code SHA-256}, {@code git blob sha1} or {@code size}. */
    String kind() {
        return algorithm == null ? "size" : algorithm;
    }
}
