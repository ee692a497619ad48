package dev.kopi.hub;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSelectorTest {
    private static final RepoId REPO = RepoId.model("org/m-GGUF");

    private static FileSelection select(String selector, String... paths) {
        return FileSelector.select(REPO, List.of(paths), selector);
    }

    @Test
    void quantTagsMatchCaseInsensitivelyAndPreferTheExactToken() {
        assertThat(select("q4_k_m", "m-Q4_K_M.gguf", "m-Q4_K_S.gguf").paths()).containsExactly("m-Q4_K_M.gguf");
        assertThat(select("Q4_K", "m.Q4_K.gguf", "m.Q4_K_M.gguf").paths()).containsExactly("m.Q4_K.gguf");
        assertThat(select("Q4_XS", "m-IQ4_XS.gguf", "m-Q4_0.gguf").paths()).containsExactly("m-IQ4_XS.gguf");
        assertThat(select("IQ4_XS", "m-IQ4_XS.gguf", "m-Q4_XS.gguf").paths()).containsExactly("m-IQ4_XS.gguf");
        assertThat(select("Q4_K_M", "m_Q4_K_M.gguf", "m_Q8_0.gguf").paths()).containsExactly("m_Q4_K_M.gguf");
    }

    @Test
    void ambiguousTagsListTheCandidates() {
        assertThatThrownBy(() -> select("Q4_K_M", "a/m-Q4_K_M.gguf", "b/m-Q4_K_M.gguf"))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("matches several files").hasMessageContaining("a/m-Q4_K_M.gguf")
                .hasMessageContaining("b/m-Q4_K_M.gguf");
    }

    @Test
    void splitGgufsComeWithAllTheirPartsAndMissingPartsAreReported() {
        FileSelection s = select("Q8_0", "m-Q8_0-00002-of-00002.gguf", "m-Q8_0-00001-of-00002.gguf", "m-Q4_0.gguf");
        assertThat(s.paths()).containsExactly("m-Q8_0-00001-of-00002.gguf", "m-Q8_0-00002-of-00002.gguf");
        assertThat(s.primary()).isEqualTo("m-Q8_0-00001-of-00002.gguf");
        assertThat(select("m-Q8_0-00002-of-00002.gguf", "m-Q8_0-00001-of-00002.gguf", "m-Q8_0-00002-of-00002.gguf").paths())
                .hasSize(2);
        assertThatThrownBy(() -> select("Q8_0", "m-Q8_0-00001-of-00003.gguf", "m-Q8_0-00003-of-00003.gguf"))
                .hasMessageContaining("has 2 of its 3 parts");
    }

    @Test
    void visionProjectorsAreNotModels() {
        assertThat(select("F16", "m-F16.gguf", "mmproj-m-F16.gguf").paths()).containsExactly("m-F16.gguf");
        assertThat(select(null, "m-Q4_K_M.gguf", "mmproj-m-F16.gguf").paths()).containsExactly("m-Q4_K_M.gguf");
    }

    @Test
    void withoutATagOneGgufOrQ4KMIsChosenElseTheChoicesAreListed() {
        assertThat(select(null, "only-Q8_0.gguf").primary()).isEqualTo("only-Q8_0.gguf");
        assertThat(select(null, "m-Q8_0.gguf", "m-Q4_K_M.gguf").primary()).isEqualTo("m-Q4_K_M.gguf");
        assertThatThrownBy(() -> select(null, "m-Q8_0.gguf", "m-Q6_K.gguf"))
                .hasMessageContaining("pick one with org/m-GGUF:QUANT, one of: Q6_K, Q8_0");
    }

    @Test
    void filesAndGlobsAreSelectedByName() {
        assertThat(select("sub/m-Q8_0.gguf", "sub/m-Q8_0.gguf", "m-Q8_0.gguf").paths()).containsExactly("sub/m-Q8_0.gguf");
        assertThat(select("config.json", "config.json", "m.safetensors").primary()).isNull();
        assertThat(select("data/*.jsonl", "data/a.jsonl", "data/b.jsonl", "data/x/c.jsonl").paths())
                .containsExactly("data/a.jsonl", "data/b.jsonl");
        assertThat(select("data/**", "data/a.jsonl", "data/x/c.jsonl", "README.md").paths()).hasSize(2);
    }

    @Test
    void quantTagsAreReadFromFileNames() {
        assertThat(FileSelector.quantOf("Qwen3-8B-Q4_K_M.gguf")).isEqualTo("Q4_K_M");
        assertThat(FileSelector.quantOf("sea-lion-7b-instruct.IQ3_XS.gguf")).isEqualTo("IQ3_XS");
        assertThat(FileSelector.quantOf("Gemma-SEA-LION-v4-27B-IT-BF16-00001-of-00002.gguf")).isEqualTo("BF16");
        assertThat(FileSelector.quantOf("model-f16.gguf")).isEqualTo("F16");
        assertThat(FileSelector.quantOf("model.gguf")).isNull();
    }

    @Test
    void specsParseRepositoriesTagsAndDataSets() {
        assertThat(ModelSpec.parse("aisingapore/Gemma-SEA-LION-v4-27B-IT-GGUF:Q4_K_M"))
                .isEqualTo(new ModelSpec(RepoId.model("aisingapore/Gemma-SEA-LION-v4-27B-IT-GGUF"), "Q4_K_M"));
        assertThat(ModelSpec.parse("hf.co/org/m").repo()).isEqualTo(RepoId.model("org/m"));
        assertThat(ModelSpec.parse("datasets/org/d:data/*.jsonl"))
                .isEqualTo(new ModelSpec(RepoId.dataset("org/d"), "data/*.jsonl"));
        assertThatThrownBy(() -> ModelSpec.parse("org/m:")).hasMessageContaining("names no quant tag");
        assertThatThrownBy(() -> ModelSpec.parse("../etc/passwd")).hasMessageContaining("is not a repository name");
        assertThat(RepoId.model("org/m").cacheFolderName()).isEqualTo("models--org--m");
        assertThat(RepoId.fromCacheFolderName("datasets--org--d")).isEqualTo(RepoId.dataset("org/d"));
    }
}
