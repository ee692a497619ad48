package dev.kopi.eval.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One language of a task: where its items and few-shot examples live and how they are prompted.
 *
 * @param filepath        a local JSONL file, or a Hugging Face dataset id whose config is the language code
 * @param exampleFilepath the same for few-shot examples ({@code examples} split), or null
 * @param raw             the language's whole YAML node, for metric-specific keys
 */
public record LanguageConfig(
        String language, String filepath, String exampleFilepath, int maxTokens, PromptTemplate prompt, JsonNode raw) {}
