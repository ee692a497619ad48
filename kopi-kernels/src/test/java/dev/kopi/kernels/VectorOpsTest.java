package dev.kopi.kernels;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The small ops against double-precision loops, at lengths that exercise both the vector body and the tail. */
class VectorOpsTest {
    private final Random rnd = new Random(7);

    private float[] gaussian(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    @Test
    void dotAndRmsNorm() {
        for (int n : new int[] {1, 15, 16, 67, 1024}) {
            float[] a = gaussian(n + 3);
            float[] b = gaussian(n + 1);
            double dot = 0;
            double ss = 0;
            for (int i = 0; i < n; i++) {
                dot += (double) a[3 + i] * b[1 + i];
                ss += (double) a[3 + i] * a[3 + i];
            }
            assertThat(VectorOps.dot(a, 3, b, 1, n)).isCloseTo((float) dot, within(1e-4f * n));
            float[] w = gaussian(n);
            float[] out = new float[n + 2];
            VectorOps.rmsNorm(a, 3, w, 0, out, 2, n, 1e-6f);
            double inv = 1 / Math.sqrt(ss / n + 1e-6);
            for (int i = 0; i < n; i++) {
                assertThat(out[2 + i]).isCloseTo((float) (a[3 + i] * inv * w[i]), within(1e-4f));
            }
        }
    }

    @Test
    void dotRowsAndWeightedRowSumMatchDoubleLoops() {
        for (int n : new int[] {1, 15, 64, 67, 128}) {
            for (int count : new int[] {1, 3, 4, 9, 33}) {
                int stride = n + 5;
                float[] q = gaussian(n + 2);
                float[] rows = gaussian(3 + count * stride);
                float[] scores = new float[count + 1];
                VectorOps.dotRows(q, 2, rows, 3, stride, count, n, 0.5f, scores, 1);
                float[] w = gaussian(count);
                float[] out = new float[n + 1];
                VectorOps.weightedRowSum(w, 0, count, rows, 3, stride, n, out, 1);
                for (int j = 0; j < count; j++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) {
                        dot += (double) q[2 + i] * rows[3 + j * stride + i];
                    }
                    assertThat(scores[1 + j]).as("score %d of %d, n %d", j, count, n)
                            .isCloseTo((float) (0.5 * dot), within(1e-4f * n));
                }
                for (int i = 0; i < n; i++) {
                    double sum = 0;
                    for (int j = 0; j < count; j++) {
                        sum += (double) w[j] * rows[3 + j * stride + i];
                    }
                    assertThat(out[1 + i]).as("element %d, %d rows, n %d", i, count, n)
                            .isCloseTo((float) sum, within(1e-4f * count));
                }
            }
        }
    }

    @Test
    void softmaxSumsToOneAndMatchesExp() {
        for (int n : new int[] {1, 17, 300}) {
            float[] x = gaussian(n + 1);
            for (int i = 0; i < x.length; i++) {
                x[i] *= 20; // large logits: the max subtraction keeps exp finite
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 1; i <= n; i++) {
                max = Math.max(max, x[i]);
            }
            double sum = 0;
            for (int i = 1; i <= n; i++) {
                sum += Math.exp(x[i] - max);
            }
            float[] expected = new float[n];
            for (int i = 0; i < n; i++) {
                expected[i] = (float) (Math.exp(x[1 + i] - max) / sum);
            }
            float first = x[0];
            VectorOps.softmax(x, 1, n);
            assertThat(x[0]).isEqualTo(first);
            for (int i = 0; i < n; i++) {
                assertThat(x[1 + i]).isCloseTo(expected[i], within(1e-6f));
            }
        }
    }

    @Test
    void elementwiseOps() {
        int n = 77;
        float[] g = gaussian(n);
        float[] u = gaussian(n);
        float[] out = new float[n];
        VectorOps.siluMul(g, 0, u, 0, out, 0, n);
        for (int i = 0; i < n; i++) {
            double silu = g[i] / (1 + Math.exp(-g[i]));
            assertThat(out[i]).isCloseTo((float) (silu * u[i]), within(1e-5f));
        }
        float[] sum = new float[n];
        VectorOps.add(g, 0, u, 0, sum, 0, n);
        float[] y = u.clone();
        VectorOps.axpy(0.5f, g, 0, y, 0, n);
        float[] s = g.clone();
        VectorOps.scale(s, 0, n, -3f);
        for (int i = 0; i < n; i++) {
            assertThat(sum[i]).isEqualTo(g[i] + u[i]);
            assertThat(y[i]).isCloseTo(u[i] + 0.5f * g[i], within(1e-6f));
            assertThat(s[i]).isEqualTo(g[i] * -3f);
        }
    }

    @Test
    void neoxRopeRotatesHalvesByPositionDependentAngles() {
        int headDim = 128;
        int position = 37;
        float base = 1_000_000f;
        float[] cos = new float[headDim / 2 + 5];
        float[] sin = new float[headDim / 2 + 5];
        VectorOps.ropeTable(position, headDim, base, cos, sin, 5);
        float[] x = gaussian(headDim + 4);
        float[] original = x.clone();
        VectorOps.ropeNeox(x, 4, headDim, cos, sin, 5);
        int half = headDim / 2;
        for (int i = 0; i < half; i++) {
            double theta = position * Math.pow(base, -2.0 * i / headDim);
            double c = Math.cos(theta);
            double sn = Math.sin(theta);
            double x0 = original[4 + i];
            double x1 = original[4 + half + i];
            // The running float product of the angle drifts from the exact power by a few ulps per step.
            assertThat(x[4 + i]).isCloseTo((float) (x0 * c - x1 * sn), within(2e-4f));
            assertThat(x[4 + half + i]).isCloseTo((float) (x0 * sn + x1 * c), within(2e-4f));
        }
        assertThat(x[0]).isEqualTo(original[0]);
    }
}
