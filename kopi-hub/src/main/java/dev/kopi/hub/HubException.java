package dev.kopi.hub;

/**
 * A failure to fetch or find a model, with a message a user can act on (it is printed as one line). The kind
 * lets callers react, e.g. the model resolver turns {@link Kind#UNREACHABLE} into advice for offline use.
 */
public final class HubException extends RuntimeException {
    /** What went wrong. */
    public enum Kind {
        /** 401/403: the repository is gated or private. */
        ACCESS_DENIED,
        /** The repository, revision or file does not exist. */
        NOT_FOUND,
        /** The hub could not be reached or kept failing. */
        UNREACHABLE,
        /** The downloaded bytes do not match the hub's checksum or size. */
        CHECKSUM_MISMATCH,
        /** The requested model is not in the cache while offline. */
        NOT_CACHED,
        /** The quant tag or file name does not pick exactly one file. */
        SELECTION,
        /** Writing to the cache failed: disk full, permission denied, ... */
        STORAGE,
        /** The hub answered with something kopi cannot use. */
        PROTOCOL,
        /** The user declined a download. */
        DECLINED,
    }

    private final Kind kind;

    public HubException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public HubException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
