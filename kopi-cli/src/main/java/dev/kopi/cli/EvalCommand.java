package dev.kopi.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;

import dev.kopi.eval.backend.Backend;
import dev.kopi.eval.backend.KopiBackend;
import dev.kopi.eval.backend.OpenAiBackend;
import dev.kopi.eval.config.EvalConfigException;
import dev.kopi.eval.data.HubDatasetFiles;
import dev.kopi.eval.fertility.Fertility;
import dev.kopi.eval.report.Leaderboard;
import dev.kopi.eval.report.RunReport;
import dev.kopi.eval.run.EvalOptions;
import dev.kopi.eval.run.EvalRunner;
import dev.kopi.hub.HubException;
import dev.kopi.hub.ProgressListener;
import dev.kopi.hub.RepoId;
import dev.kopi.tokenizer.Tokenizer;
import dev.kopi.tokenizer.TokenizerFormatException;
import dev.kopi.tokenizer.Tokenizers;


import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kopi eval}: SEA-HELM evaluations against an OpenAI-compatible endpoint, reports, leaderboards, fertility. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a model on SEA-HELM tasks and compare results.",
        subcommands = {EvalCommand.Run.class, EvalCommand.Report.class, EvalCommand.Compare.class, EvalCommand.FertilityCmd.class})
final class EvalCommand {

    /** Runs library code, turning configuration and argument problems into one-line user errors. */
    static <T> T userErrors(Callable<T> action) throws Exception {
        try {
            return action.call();
        } catch (EvalConfigException | IllegalArgumentException | HubException e) {
            throw new UserError(e.getMessage());
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run SEA-HELM tasks against an OpenAI-compatible endpoint; resumes when RUN_DIR holds an unfinished run.")
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--tasks-dir", required = true, paramLabel = "DIR", description = "SEA-HELM's seahelm_tasks folder (config.yaml files, task_config.yaml).")
        Path tasksDir;

        @Option(names = "--suite", paramLabel = "NAME", description = "A suite of task_config.yaml, e.g. seahelm.")
        String suite;

        @Option(names = "--tasks", split = ",", paramLabel = "TASK", description = "Task keys or aggregation groups instead of a suite.")
        List<String> tasks = new ArrayList<>();

        @Option(names = "--languages", split = ",", paramLabel = "LANG", description = "Only these languages (e.g. th,my).")
        List<String> languages = new ArrayList<>();

        @Option(names = "--endpoint", paramLabel = "URL", description = "OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1.")
        String endpoint;

        @Option(names = "--gguf", paramLabel = "FILE", description = "Run this GGUF model in-process with kopi's engine instead of calling an endpoint.")
        Path gguf;

        @Option(names = "--context", defaultValue = "8192", description = "Context length of the in-process model (default: ${DEFAULT-VALUE}).")
        int context;

        @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:KOPI_EVAL_API_KEY}",
                description = "Bearer key for the endpoint (default: $KOPI_EVAL_API_KEY).")
        String apiKey;

        @Option(names = "--model", paramLabel = "NAME", description = "Model name sent to the endpoint (required with --endpoint).")
        String model;

        @Option(names = "--concurrency", defaultValue = "4", description = "Requests in flight at once; with --gguf, the sequences batched together (default: ${DEFAULT-VALUE}).")
        int concurrency;

        @Option(names = "--rpm", defaultValue = "0", description = "At most this many requests a minute, evenly spaced (the SEA-LION API allows 10); 0: no limit.")
        double rpm;

        @Option(names = "--retries", defaultValue = "6", description = "Retries of a failed request, with exponential backoff (default: ${DEFAULT-VALUE}).")
        int retries;

        @Option(names = "--runs", defaultValue = "1", description = "Independent runs; SEA-HELM reports 8 (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--seed", defaultValue = "0", description = "Sampling seed of run 0; run r uses seed + r (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--base-model", description = "Prompt as SEA-HELM does for base models: 5-shot multi-turn, stop at a blank line.")
        boolean baseModel;

        @Option(names = "--thinking", paramLabel = "on|off", description = "Send chat_template_kwargs.enable_thinking; 'on' also adds --max-think-tokens to each task's budget.")
        String thinking;

        @Option(names = "--max-think-tokens", defaultValue = "20000", description = "Extra tokens for thinking (default: ${DEFAULT-VALUE}).")
        int maxThinkTokens;

        @Option(names = "--limit", defaultValue = "0", description = "At most this many items per task and language; 0: all.")
        int limit;

        @Option(names = "--metricx-endpoint", paramLabel = "URL", description = "OpenAI-compatible endpoint serving MetricX-24 for translation tasks.")
        String metricxEndpoint;

        @Option(names = "--metricx-model", defaultValue = "google/metricx-24-hybrid-xxl-v2p6-bfloat16", description = "Model name at the MetricX endpoint.")
        String metricxModel;

        @Option(names = "--metricx-api-key", paramLabel = "KEY", description = "Bearer key for the MetricX endpoint.")
        String metricxKey;

        @Option(names = "--judge-endpoint", paramLabel = "URL", description = "OpenAI-compatible endpoint of the LLM judge for criteria-judged tasks (SEA-HELM uses openai/gpt-oss-120b).")
        String judgeEndpoint;

        @Option(names = "--judge-model", defaultValue = "openai/gpt-oss-120b", description = "Model name at the judge endpoint (default: ${DEFAULT-VALUE}).")
        String judgeModel;

        @Option(names = "--judge-api-key", paramLabel = "KEY", description = "Bearer key for the judge endpoint.")
        String judgeKey;

        @Option(names = "--judge-concurrency", defaultValue = "4", description = "Judge requests in flight at once (default: ${DEFAULT-VALUE}).")
        int judgeConcurrency;

        @Option(names = "--dataset-revision", defaultValue = "main", description = "Revision of Hugging Face datasets (default: ${DEFAULT-VALUE}).")
        String datasetRevision;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "RUN_DIR", description = "Folder for answers, scores and the report.")
        Path output;

        @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
        boolean quiet;

        private Backend backend() {
            if (gguf != null) {
                try {
                    return KopiBackend.load(gguf, context, Runtime.getRuntime().availableProcessors(), concurrency);
                } catch (RuntimeException e) {
                    throw new UserError("cannot load " + gguf + ": " + e.getMessage());
                }
            }
            if (model == null) {
                throw new UserError("--endpoint needs --model");
            }
            return new OpenAiBackend(OpenAiBackend.Settings.of(endpoint, apiKey, model)
                    .withConcurrency(concurrency).withRequestsPerMinute(rpm).withRetries(retries, Duration.ofSeconds(1)));
        }

        @Override
        public Integer call() throws Exception {
            return userErrors(() -> {
                if ((suite == null) == tasks.isEmpty()) {
                    throw new UserError("choose either --suite or --tasks");
                }
                Boolean thinkingOn = switch (thinking == null ? "" : thinking) {
                    case "" -> null;
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new UserError("--thinking takes on or off, not " + thinking);
                };
                if ((endpoint == null) == (gguf == null)) {
                    throw new UserError("choose either --endpoint (with --model) or --gguf");
                }
                PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
                try (Backend backend = backend();
                        OpenAiBackend metricx = metricxEndpoint == null ? null
                                : new OpenAiBackend(OpenAiBackend.Settings.of(metricxEndpoint, metricxKey, metricxModel).withConcurrency(1));
                        OpenAiBackend judge = judgeEndpoint == null ? null
                                : new OpenAiBackend(OpenAiBackend.Settings.of(judgeEndpoint, judgeKey, judgeModel).withConcurrency(judgeConcurrency))) {
                    EvalOptions options = new EvalOptions(tasksDir, suite, tasks, languages, runs, seed, baseModel, thinkingOn,
                            maxThinkTokens, limit, output, metricx, judge, new HubDatasetFiles(PullCommand.client(), datasetRevision),
                            quiet ? null : err);
                    EvalRunner.Result result = new EvalRunner(options, backend).run();
                    PrintWriter out = spec.commandLine().getOut();
                    result.skipped().forEach((task, reason) -> spec.commandLine().getErr().println("skipped " + task + ": " + reason));
                    if (result.scores().sea() != null) {
                        out.printf(java.util.Locale.ROOT, "SEA average %.2f ± %.2f%n", result.scores().sea().mean(), result.scores().sea().stderr());
                    }
                    out.println(output.resolve("report.html"));
                }
                return 0;
            });
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true, description = "Write RUN_DIR/report.html: a self-contained HTML report.")
    static final class Report implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "RUN_DIR")
        Path runDir;

        @Override
        public Integer call() throws Exception {
            return userErrors(() -> {
                spec.commandLine().getOut().println(RunReport.write(runDir));
                return 0;
            });
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true, description = "A leaderboard of several runs, with standard errors.")
    static final class Compare implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "RUN_DIR")
        List<Path> runs;

        @Option(names = "--html", paramLabel = "FILE", description = "Also write the leaderboard as a self-contained HTML page.")
        Path html;

        @Override
        public Integer call() throws Exception {
            return userErrors(() -> {
                Leaderboard board = Leaderboard.of(runs);
                spec.commandLine().getOut().print(board.text());
                spec.commandLine().getOut().flush();
                if (html != null) {
                    Files.writeString(html, board.html());
                }
                return 0;
            });
        }
    }

    @Command(name = "fertility", mixinStandardHelpOptions = true,
            description = "Tokens per word and per character of each tokenizer on each language's text (the file name before the first '.' names the language).")
    static final class FertilityCmd implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-t", "--tokenizers"}, required = true, split = ",", paramLabel = "TOK",
                description = "tokenizer.json files, folders holding one, .gguf models, or Hugging Face model ids.")
        List<String> tokenizers;

        @Parameters(arity = "1..*", paramLabel = "TEXT_FILE", description = "UTF-8 text files named by language, e.g. th.txt, my.txt.")
        List<Path> files;

        @Option(names = "--html", paramLabel = "FILE", description = "Also write the table and charts as a self-contained HTML page.")
        Path html;

        @Override
        public Integer call() throws Exception {
            return userErrors(() -> {
                Map<String, ToIntFunction<String>> counters = new LinkedHashMap<>();
                for (String name : tokenizers) {
                    Tokenizer tokenizer = load(name);
                    counters.put(name, text -> tokenizer.encode(text, false).length);
                }
                List<Fertility.Corpus> corpora = new ArrayList<>();
                for (Path file : files) {
                    String fileName = file.getFileName().toString();
                    int dot = fileName.indexOf('.');
                    corpora.add(new Fertility.Corpus(dot > 0 ? fileName.substring(0, dot) : fileName, readUtf8(file)));
                }
                List<Fertility.Cell> cells = Fertility.measure(counters, corpora);
                spec.commandLine().getOut().print(Fertility.table(cells));
                spec.commandLine().getOut().flush();
                if (html != null) {
                    Files.writeString(html, Fertility.html(cells));
                }
                return 0;
            });
        }

        private static Tokenizer load(String name) {
            Path path = Path.of(name);
            try {
                if (Files.exists(path)) {
                    return Tokenizers.load(path);
                }
                if (!name.matches("[\\w.-]+/[\\w.-]+")) {
                    throw new UserError("tokenizer " + name + " is neither a file nor a Hugging Face model id");
                }
                var hub = PullCommand.client();
                Path json = hub.download(RepoId.model(name), "main", "tokenizer.json", ProgressListener.NONE);
                try {
                    hub.download(RepoId.model(name), "main", "tokenizer_config.json", ProgressListener.NONE);
                } catch (HubException e) {
                    // tokenizer_config.json is optional: Tokenizers.load reads it when it is beside tokenizer.json
                }
                return Tokenizers.load(json);
            } catch (TokenizerFormatException | java.io.UncheckedIOException e) {
                throw new UserError("tokenizer " + name + ": " + e.getMessage());
            }
        }

        private static String readUtf8(Path file) throws IOException {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            } catch (CharacterCodingException e) {
                throw new UserError(file + ": not valid UTF-8");
            } catch (java.nio.file.NoSuchFileException e) {
                throw new UserError(file + ": no such file");
            }
        }
    }

    private EvalCommand() {}

}
