package dev.kopi.engine.synth;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.kopi.engine.Architecture;
import dev.kopi.gguf.DataSink;
import dev.kopi.gguf.GgmlType;
import dev.kopi.gguf.GgufArray;
import dev.kopi.gguf.GgufFile;
import dev.kopi.gguf.GgufMetadata;
import dev.kopi.gguf.GgufValueType;
import dev.kopi.gguf.GgufWriter;
import dev.kopi.kernels.Quantizer;
import dev.kopi.tokenizer.Tokenizer;
import dev.kopi.tokenizer.TokenizerGguf;
import dev.kopi.tokenizer.Tokenizers;

/**
 * Writes random-weight models in a real architecture's shape: for tests that must run every path from text to
 * text without a download, and for capacity planning ("how fast will the 32B run here?") without fetching 20 GB.
 *
 * <p>Weights are drawn deterministically from the seed (see {@link SyntheticTensor}), converted or quantized by
 * kopi's own quantizers to the types {@link TensorTypePolicy} assigns as llama.cpp would, and streamed to the file
 * tensor by tensor in slabs of rows produced by several threads: memory stays at a few slabs whatever the model size.
 */
public final class ModelSynthesizer {
    private static final String TOKENS = "tokenizer.ggml.tokens";
    private static final String TOKEN_TYPE = "tokenizer.ggml.token_type";
    private static final String SCORES = "tokenizer.ggml.scores";
    /** llama.cpp's token type of vocabulary slots no token uses. */
    private static final int UNUSED = 5;
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
    public record Spec(ModelShape shape, FileType fileType, long seed, SyntheticTensor.Scales scales, int threads) {
        public Spec {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, not " + threads);
            }
        }

        public Spec(ModelShape shape, FileType fileType, long seed) {
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
        for (SyntheticTensor t : SyntheticTensor.of(spec.shape())) {
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
     * Writes the model to {@code file}: the architecture's hyperparameters under the keys llama.cpp's converter
     * writes, the tokenizer and chat template found at {@code tokenizer} (a folder with tokenizer.json and
     * tokenizer_config.json, or the tokenizer.json), and every tensor, streamed.
     */
    public void write(Path file, Path tokenizer) throws IOException {
        ModelShape s = spec.shape();
        GgufWriter out = new GgufWriter();
        String arch = s.architecture().ggufName();
        String p = arch + ".";
        out.putString("general.architecture", arch);
        out.putString("general.name", "kopi synth " + arch + " " + s.name() + " seed " + spec.seed());
        out.putUint32("general.file_type", spec.fileType().id());
        out.putUint32("general.quantization_version", 2);
        out.putUint32(p + "block_count", s.layers());
        out.putUint32(p + "context_length", s.contextLength());
        out.putUint32(p + "embedding_length", s.embedding());
        out.putUint32(p + "feed_forward_length", s.feedForward());
        out.putUint32(p + "attention.head_count", s.heads());
        out.putUint32(p + "attention.head_count_kv", s.kvHeads());
        out.putFloat32(p + "attention.layer_norm_rms_epsilon", s.rmsEpsilon());
        switch (s.architecture()) {
            case LLAMA, APERTUS -> { // LlamaModel.set_gguf_parameters: vocab size and rotated dimensions
                out.putFloat32(p + "rope.freq_base", s.ropeTheta());
                out.putUint32(p + "vocab_size", s.vocab());
                out.putUint32(p + "rope.dimension_count", s.headDim());
            }
            case GEMMA2 -> { // Gemma2Model writes no RoPE keys: llama.cpp's default base 10,000 applies
                putHeadLength(out, p, s);
                out.putFloat32(p + "attn_logit_softcapping", s.attentionSoftcap());
                out.putFloat32(p + "final_logit_softcapping", s.finalSoftcap());
                out.putUint32(p + "attention.sliding_window", s.slidingWindow());
            }
            case GEMMA3 -> {
                putHeadLength(out, p, s);
                out.putFloat32(p + "rope.freq_base", s.ropeTheta());
                out.putFloat32(p + "rope.freq_base_swa", s.ropeLocalTheta());
                if (s.ropeLinearFactor() > 0) {
                    out.putString(p + "rope.scaling.type", "linear");
                    out.putFloat32(p + "rope.scaling.factor", s.ropeLinearFactor());
                }
                out.putUint32(p + "attention.sliding_window", s.slidingWindow());
            }
            case QWEN3 -> {
                putHeadLength(out, p, s);
                out.putFloat32(p + "rope.freq_base", s.ropeTheta());
            }
        }
        if (s.architecture() == Architecture.APERTUS) {
            XieluParameters x = XieluParameters.of(s.layers(), spec.seed());
            out.putFloat32Array("xielu.alpha_n", x.alphaN());
            out.putFloat32Array("xielu.alpha_p", x.alphaP());
            out.putFloat32Array("xielu.beta", x.beta());
            out.putFloat32Array("xielu.eps", x.eps());
        }
        putTokenizer(out, tokenizer, s.vocab());
        for (PlannedTensor t : plan) {
            out.addTensor(t.tensor().name(), t.type(), t.tensor().dims(), sink -> writeTensor(t, sink));
        }
        out.write(file);
    }

    /** {@code attention.key_length} and {@code value_length}, which converters write where the config has head_dim. */
    private static void putHeadLength(GgufWriter out, String prefix, ModelShape s) {
        out.putUint32(prefix + "attention.key_length", s.headDim());
        out.putUint32(prefix + "attention.value_length", s.headDim());
    }

    /**
     * Apertus's trained xIELU parameters per layer, as {@code config.json}-free synthetic values near the
     * initialisation of the Apertus code (softplus⁻¹ of 0.8 for both alphas, beta 0.5, eps -1e-6) with a
     * seeded spread per layer, so every layer's activation differs.
     */
    public record XieluParameters(float[] alphaN, float[] alphaP, float[] beta, float[] eps) {
        /** The parameters of {@code layers} layers drawn from {@code seed}. */
        public static XieluParameters of(int layers, long seed) {
            java.util.SplittableRandom random = new java.util.SplittableRandom(seed ^ 0x5EA110E5L);
            float inverseSoftplus = (float) Math.log(Math.expm1(0.8));
            float[] alphaN = new float[layers];
            float[] alphaP = new float[layers];
            float[] beta = new float[layers];
            float[] eps = new float[layers];
            for (int l = 0; l < layers; l++) {
                alphaN[l] = inverseSoftplus + (float) (0.3 * random.nextGaussian());
                alphaP[l] = inverseSoftplus + (float) (0.3 * random.nextGaussian());
                beta[l] = 0.5f;
                eps[l] = -1e-6f;
            }
            return new XieluParameters(alphaN, alphaP, beta, eps);
        }
    }

    /**
     * Puts the tokenizer into {@code out} as llama.cpp's converter does, with its token list padded to the model's
     * vocabulary ({@code [PADn]} tokens of type UNUSED), as the converter pads it to {@code vocab_size}. Added tokens
     * past the vocabulary are left out, as the converter keeps only {@code vocab_size} tokens: Gemma 3's tokenizer
     * (262,145 tokens) ends in image and {@code <unusedN>} tokens no text encodes to, so the 262,144-token Gemma 3
     * 1B and the 256,000-token Gemma 2 carry it without them. Any other token past the vocabulary is an error.
     */
    private static void putTokenizer(GgufWriter out, Path source, int vocab) throws IOException {
        Tokenizer tokenizer = Tokenizers.load(source);
        for (int id = vocab; id < tokenizer.vocabSize(); id++) {
            if (!tokenizer.isAdded(id)) {
                throw new IllegalArgumentException("the tokenizer at " + source + " has " + tokenizer.vocabSize()
                        + " tokens, more than the model's vocabulary of " + vocab + ", and token " + id
                        + " is not an added token that could be left out");
            }
        }
        for (int id : new int[] {tokenizer.bosId(), tokenizer.eosId(), tokenizer.padId(), tokenizer.eotId()}) {
            if (id >= vocab) {
                throw new IllegalArgumentException("the tokenizer at " + source + " has the special token " + id
                        + " outside the model's vocabulary of " + vocab);
            }
        }
        // TokenizerGguf writes the tokenizer's own ids; read them back to pad the two per-token arrays.
        Path scratch = Files.createTempFile("kopi-synth-tokenizer", ".gguf");
        try {
            TokenizerGguf.write(tokenizer, new GgufWriter()).write(scratch);
            try (GgufFile written = GgufFile.open(scratch)) {
                GgufMetadata meta = written.metadata();
                for (String key : meta.keys()) { // copied out: the values must outlive the scratch file
                    Object value = meta.get(key);
                    GgufValueType type = meta.findType(key).orElseThrow();
                    out.put(key, type, value instanceof GgufArray array
                            ? new GgufWriter.ArrayValue(array.elementType(), array.toList()) : value);
                }
                List<String> tokens = new ArrayList<>(vocab);
                for (Object token : meta.getArray(TOKENS).toList()) {
                    if (tokens.size() < vocab) {
                        tokens.add((String) token);
                    }
                }
                int[] types = new int[vocab];
                List<?> writtenTypes = meta.getArray(TOKEN_TYPE).toList();
                for (int id = 0; id < vocab; id++) {
                    if (id >= tokens.size()) {
                        tokens.add("[PAD" + id + "]");
                    }
                    types[id] = id < writtenTypes.size() ? ((Number) writtenTypes.get(id)).intValue() : UNUSED;
                }
                out.putStringArray(TOKENS, tokens);
                out.putInt32Array(TOKEN_TYPE, types);
                if (meta.contains(SCORES)) {
                    out.putFloat32Array(SCORES, java.util.Arrays.copyOf(meta.getFloatArray(SCORES), vocab));
                }
            }
        } finally {
            Files.deleteIfExists(scratch);
        }
    }

    /**
     * Streams the stored bytes of {@code tensor} to {@code out}: slabs of rows are generated and encoded by the
     * spec's threads and written in order.
     */
    public void writeTensor(PlannedTensor tensor, DataSink out) throws IOException {
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
                out.write(inFlight.removeFirst().get());
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
