package dev.kopi.eval.metrics;

import java.util.Optional;

import dev.kopi.eval.backend.Backend;
import dev.kopi.eval.config.EvalConfigException;
import dev.kopi.eval.config.LanguageConfig;
import dev.kopi.eval.config.TaskConfig;
import dev.kopi.eval.data.TaskData;
import dev.kopi.eval.metrics.ifeval.IfEvalMetric;
import dev.kopi.eval.metrics.ifeval.LanguageIdentifier;

/** Maps the SEA-HELM metric class a task names to kopi's implementation of it. */
public final class MetricFactory {
    private final Backend metricx;
    private final Backend judge;

    /**
     * @param metricx the MetricX-24 endpoint for translation tasks, or null
     * @param judge   the LLM judge for criteria-judged tasks (SEA-HELM uses gpt-oss-120b), or null
     */
    public MetricFactory(Backend metricx, Backend judge) {
        this.metricx = metricx;
        this.judge = judge;
    }

    /** Why kopi cannot run {@code task} in {@code lang}, or empty when it can. */
    public Optional<String> unsupported(TaskConfig task, String lang) {
        String loader = task.raw().path("dataloader_class").asText("");
        if (!TaskData.LOADERS.contains(loader)) {
            return Optional.of("data loader " + loader + " is not implemented in kopi yet");
        }
        return switch (task.metricClass()) {
            case "F1AccMetric", "QuestionAnsweringMetric", "SummarizationMetric", "MinimalPairsMetric", "PragmaticReasoningMetric" ->
                    Optional.empty();
            case "TranslationMetric" -> task.flag("use_metricx_metric", false) && metricx == null
                    ? Optional.of("needs a MetricX endpoint (--metricx-endpoint)")
                    : Optional.empty();
            case "CriteriaJudgeMetric", "MTBenchJudgeMetric", "LindseaJudgeMetric" -> judge == null
                    ? Optional.of("needs an LLM judge (--judge-endpoint)")
                    : Optional.empty();
            case "LogProbMetric", "MinimalPairsLogProbMetric", "PragmaticReasoningLogProbMetric" -> task.useLogprobs()
                    ? Optional.empty()
                    : Optional.of(task.metricClass() + " needs use_logprobs: true");
            case "PairwiseLLMJudgeMetric" -> judge == null
                    ? Optional.of("needs an LLM judge (--judge-endpoint)")
                    : Optional.empty();
            case "IFEvalMetric" -> Optional.ofNullable(IfEvalMetric.unsupportedLanguage(lang, LanguageIdentifier.shared()));
            default -> Optional.of("metric class " + (task.metricClass().isEmpty() ? "(none)" : task.metricClass())
                    + " is not implemented in kopi yet");
        };
    }

    public TaskMetric create(TaskConfig task, LanguageConfig language, JudgeLog judgeLog) {
        unsupported(task, language.language()).ifPresent(reason -> {
            throw new EvalConfigException("task " + task.key() + ": " + reason);
        });
        String tag = language.prompt().answerTag();
        return switch (task.metricClass()) {
            case "F1AccMetric" -> new ClassificationMetric(tag);
            case "QuestionAnsweringMetric" -> new SquadMetric(tag, language.language());
            case "SummarizationMetric" -> new SummarizationMetric(tag, language.language(),
                    task.flag("use_rougeL_metric", true), task.flag("use_chrf_metric", false));
            case "TranslationMetric" -> new TranslationMetric(tag, task.flag("use_chrf_metric", false),
                    task.flag("use_metricx_metric", false) ? metricx : null,
                    task.raw().path("judge").path("judge_prompts").asText("source: {source} candidate: {pred} reference: {ref}"),
                    judgeLog);
            case "CriteriaJudgeMetric", "MTBenchJudgeMetric", "LindseaJudgeMetric" -> new CriteriaJudgeMetric(task, language, judge, judgeLog);
            case "MinimalPairsMetric" -> new LindseaMetric(tag, true);
            case "PragmaticReasoningMetric" -> new LindseaMetric(tag, false);
            case "LogProbMetric" -> new LogprobMetric(false);
            case "MinimalPairsLogProbMetric", "PragmaticReasoningLogProbMetric" -> new LogprobMetric(true);
            case "PairwiseLLMJudgeMetric" -> new PairwiseJudgeMetric(task, judge, judgeLog);
            case "IFEvalMetric" -> new IfEvalMetric(language.language(), LanguageIdentifier.shared());
            default -> throw new IllegalStateException(task.metricClass());
        };
    }
}
