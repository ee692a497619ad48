package dev.kopi.hub;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Locale;

/** Turns the file system's failures into messages that name the file and say what to do. */
final class StorageErrors {
    private StorageErrors() {}

    static HubException writeFailed(IOException e, Path file, Path cacheRoot, long neededBytes) {
        String text = (e.getMessage() == null ? "" : e.getMessage()) + " "
                + (e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : "");
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left") || lower.contains("disk full") || lower.contains("not enough space")) {
            return noSpace(file, neededBytes, e);
        }
        if (e instanceof AccessDeniedException || lower.contains("permission denied") || lower.contains("read-only file system")) {
            return new HubException(HubException.Kind.STORAGE, "cannot write to cache dir " + cacheRoot
                    + ": permission denied; set HF_HOME (or HF_HUB_CACHE) to a writable directory", e);
        }
        return new HubException(HubException.Kind.STORAGE, "cannot write " + file + ": "
                + HttpTransport.describe(e), e);
    }

    static HubException noSpace(Path file, long neededBytes, Throwable cause) {
        return new HubException(HubException.Kind.STORAGE, "no space left on device while writing " + file
                + (neededBytes > 0 ? " (needed " + neededBytes + " bytes, " + Sizes.human(neededBytes) + ")" : "")
                + "; free some space or point HF_HOME to a larger disk", cause);
    }
}
