package dev.kopi.engine.synth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.kopi.gguf.GgmlType;
import dev.kopi.kernels.Quantizer;

/**
 * Writes random-weight models in a real architecture's shape: for tests that must run every path from text to
 * text without a download, and for capacity planning ("how fast will the 32B run here?") without fetching 20 GB.
 *
 * <p>Weights are drawn deterministically from the seed (see {@link SyntheticTensor}), converted or quantized by
 * kopi's own quantizers to the types {@link TensorTypePolicy} assigns as llama.cpp would, and streamed to the file
 * tensor by tensor in slabs of rows produced by several threads: memory stays at a few slabs whatever the model size.
 */
public final class ModelSynthesizer {
    /** Bytes of F32 rows per unit of work; a few of these are in flight at once. */
    private static final long SLAB_BYTES = 16L << 20;

    /**
     * What to write.
     *
     * @param shape    the architecture's dimensions
     * @param fileType the quantization mix
     * @param seed     the weights are a function of this seed
     * @param scales   the weights' standard deviations
     * @param threads  worker threads generating and quantizing rows
     */
    public record Spec(Qwen3Shape shape, FileType fileType, long seed, SyntheticTensor.Scales scales, int threads) {
        public Spec {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, not " + threads);
            }
        }

        public Spec(Qwen3Shape shape, FileType fileType, long seed) {
            this(shape, fileType, seed, SyntheticTensor.Scales.DEFAULT, Runtime.getRuntime().availableProcessors());
        }
    }

    /** One tensor of the output file with its chosen storage type. */
    public record PlannedTensor(SyntheticTensor tensor, GgmlType type) {
        /** Bytes the tensor occupies in the file. */
        public long byteSize() {
            return type.byteSize(tensor.rowLength()) * tensor.rows();
        }
    }

    private final Spec spec;
    private final List<PlannedTensor> plan;

    public ModelSynthesizer(Spec spec) {
        this.spec = spec;
        TensorTypePolicy policy = TensorTypePolicy.of(spec.fileType(), spec.shape());
        List<PlannedTensor> tensors = new ArrayList<>();
        for (SyntheticTensor t : SyntheticTensor.qwen3(spec.shape())) {
            tensors.add(new PlannedTensor(t, policy.typeOf(t.name(), t.rowLength(), t.dims().length)));
        }
        this.plan = List.copyOf(tensors);
    }

    public Spec spec() {
        return spec;
    }

    /** The tensors in file order, with their types. */
    public List<PlannedTensor> tensors() {
        return plan;
    }

    /** Bytes of all tensor data (without metadata and alignment padding). */
    public long tensorBytes() {
        return plan.stream().mapToLong(PlannedTensor::byteSize).sum();
    }

    /**
     * Writes the model to {@code file}: Qwen3 hyperparameters, the tokenizer and chat template found at
     * {@code tokenizer} (a folder with tokenizer.json and tokenizer_config.json, or the tokenizer.json), and
     * every tensor, streamed.
     */
    public void write(Path file, Path tokenizer) throws IOException {
        Qwen3Shape s = spec.shape();
        GgufOutput out = new GgufOutput();
        String arch = "qwen3";
        out.putString("general.architecture", arch);
        out.putString("general.name", "kopi synth " + arch + " " + s.name() + " seed " + spec.seed());
        out.putUInt32("general.file_type", spec.fileType().id());
        out.putUInt32("general.quantization_version", 2);
        out.putUInt32(arch + ".block_count", s.layers());
        out.putUInt32(arch + ".context_length", s.contextLength());
        out.putUInt32(arch + ".embedding_length", s.embedding());
        out.putUInt32(arch + ".feed_forward_length", s.feedForward());
        out.putUInt32(arch + ".attention.head_count", s.heads());
        out.putUInt32(arch + ".attention.head_count_kv", s.kvHeads());
        out.putUInt32(arch + ".attention.key_length", s.headDim());
        out.putUInt32(arch + ".attention.value_length", s.headDim());
        out.putFloat32(arch + ".rope.freq_base", s.ropeTheta());
        out.putFloat32(arch + ".attention.layer_norm_rms_epsilon", s.rmsEpsilon());
        TokenizerMetadata.add(out, tokenizer, s.vocab(), "qwen2");
        for (PlannedTensor t : plan) {
            out.addTensor(t.tensor().name(), t.tensor().dims(), t.type(), t.byteSize(), channel -> writeTensor(t, channel));
        }
        out.write(file);
    }

    /**
     * Streams the stored bytes of {@code tensor} to {@code out}: slabs of rows are generated and encoded by the
     * spec's threads and written in order.
     */
    public void writeTensor(PlannedTensor tensor, WritableByteChannel out) throws IOException {
        SyntheticTensor t = tensor.tensor();
        int rowLength = Math.toIntExact(t.rowLength());
        long rows = t.rows();
        int slabRows = (int) Math.max(1, Math.min(rows, SLAB_BYTES / (4L * rowLength)));
        ExecutorService workers = Executors.newFixedThreadPool(spec.threads(), runnable -> {
            Thread thread = new Thread(runnable, "kopi-synth");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Deque<Future<byte[]>> inFlight = new ArrayDeque<>();
            long next = 0;
            while (next < rows || !inFlight.isEmpty()) {
                while (next < rows && inFlight.size() < spec.threads() + 1) {
                    long first = next;
                    int count = (int) Math.min(slabRows, rows - first);
                    inFlight.add(workers.submit(() -> encodeSlab(t, tensor.type(), first, count, rowLength)));
                    next += count;
                }
                ByteBuffer buffer = ByteBuffer.wrap(inFlight.removeFirst().get());
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing " + t.name(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("generating " + t.name() + " failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            workers.shutdownNow();
        }
    }

    private byte[] encodeSlab(SyntheticTensor t, GgmlType type, long first, int count, int rowLength) {
        float[] values = new float[count * rowLength];
        t.fillRows(spec.seed(), spec.scales(), first, count, values);
        return Quantizer.quantize(type, values, count, rowLength);
    }
}
