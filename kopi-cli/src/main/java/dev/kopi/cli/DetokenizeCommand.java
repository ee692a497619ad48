package dev.kopi.cli;

import dev.kopi.tokenizer.Tokenizer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kopi detokenize}: token ids back to text, as Hugging Face's {@code decode(ids)}. */
@Command(name = "detokenize", mixinStandardHelpOptions = true,
        description = "Decode token ids into text exactly as Hugging Face tokenizers does.")
final class DetokenizeCommand implements Callable<Integer> {
    @Mixin
    TokenizerOption tokenizer;

    @Option(names = "--skip-special", description = "Leave out special tokens.")
    boolean skipSpecial;

    @Parameters(arity = "1..*", paramLabel = "IDS",
            description = "Token ids; a single '-' reads white-space-separated ids from standard input.")
    List<String> ids;

    @Override
    public Integer call() throws IOException {
        List<String> words = ids;
        if (ids.size() == 1 && ids.getFirst().equals("-")) {
            String input = TokenizeCommand.readStandardInput().strip();
            words = input.isEmpty() ? List.of() : List.of(input.split("\\s+"));
        }
        Tokenizer tok = tokenizer.load();
        int[] parsed = new int[words.size()];
        for (int i = 0; i < parsed.length; i++) {
            parsed[i] = parseId(words.get(i), tok.vocabSize());
        }
        for (int id : parsed) {
            if (tok.token(id) == null) {
                throw new UserError("token id " + id + " has no token in this vocabulary");
            }
        }
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        out.println(tok.decode(parsed, skipSpecial));
        out.flush();
        return 0;
    }

    private static int parseId(String word, int vocabSize) {
        long id;
        try {
            id = Long.parseLong(word);
        } catch (NumberFormatException e) {
            throw new UserError("'" + word + "' is not a token id");
        }
        if (id < 0 || id >= vocabSize) {
            throw new UserError("token id " + id + " is out of range: the vocabulary has ids 0 to " + (vocabSize - 1));
        }
        return (int) id;
    }
}
