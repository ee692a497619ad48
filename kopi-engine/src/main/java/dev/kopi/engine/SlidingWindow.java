package dev.kopi.engine;

/**
 * Sliding-window attention on some layers, as llama.cpp's {@code LLAMA_SWA_TYPE_STANDARD}: a query at position
 * {@code p} of a windowed layer sees keys at positions {@code p - size + 1 .. p}.
 *
 * @param size   positions a windowed layer sees, 0 when no layer is windowed ({@code attention.sliding_window})
 * @param period layers repeat in groups of {@code period}: all but the last of each group are windowed
 *               ({@code attention.sliding_window_pattern}; Gemma 2: 2, Gemma 3: 6); 0 windows every layer
 */
public record SlidingWindow(int size, int period) {
    /** No windowed layer. */
    public static final SlidingWindow NONE = new SlidingWindow(0, 0);

    public SlidingWindow {
        if (size < 0 || period < 0) {
            throw new ModelException("sliding window " + size + " with period " + period + " must not be negative");
        }
    }

    /** Whether {@code layer} attends only within the window (llama.cpp's {@code is_swa}). */
    public boolean covers(int layer) {
        return size > 0 && (period == 0 || layer % period < period - 1);
    }

    /** The first position a query at {@code position} of {@code layer} attends to. */
    public int firstVisible(int layer, int position) {
        return covers(layer) ? Math.max(0, position - size + 1) : 0;
    }
}
