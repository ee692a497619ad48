package dev.kopi.hub;

/** Hears how downloads advance; called from several download threads at once. */
public interface ProgressListener {
    /** Before anything is downloaded: how many files, and their total size (-1 when unknown). */
    default void planned(int files, long totalBytes) {}

    /** A file begins (or resumes, with {@code alreadyHave} bytes already on disk). */
    default void started(String path, long size, long alreadyHave) {}

    /** More bytes of a file arrived. */
    default void advanced(String path, long bytes) {}

    /** A file is complete and verified (or was in the cache already). */
    default void finished(String path) {}

    /** Something the user should know: a retry, a resume, a file already cached. */
    default void note(String message) {}

    /** Hears nothing: for --quiet. */
    ProgressListener NONE = new ProgressListener() {};
}
