package dev.kopi.kernels;

/** Per-thread float buffers the kernels dequantize into, grown on demand and reused across calls. */
final class Scratch {
    private static final ThreadLocal<float[]> FLOATS = ThreadLocal.withInitial(() -> new float[0]);

    private Scratch() {
    }

    /** A buffer of at least {@code n} floats with arbitrary contents, owned by the calling thread. */
    static float[] floats(int n) {
        float[] a = FLOATS.get();
        if (a.length < n) {
            a = new float[n];
            FLOATS.set(a);
        }
        return a;
    }
}
