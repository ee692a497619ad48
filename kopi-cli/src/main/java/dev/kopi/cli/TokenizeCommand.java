package dev.kopi.cli;

import dev.kopi.tokenizer.Tokenizer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kopi tokenize}: text to token ids, as Hugging Face's {@code encode(text)}. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Encode text into token ids exactly as Hugging Face tokenizers does (added tokens in the"
                + " text are matched; the post-processor's special tokens such as BOS are added).")
final class TokenizeCommand implements Callable<Integer> {
    @Mixin
    TokenizerOption tokenizer;

    @ArgGroup(exclusive = true)
    Output output = new Output();

    static final class Output {
        @Option(names = "--ids", description = "Print token ids (the default).")
        boolean ids;
        @Option(names = "--tokens", description = "Print the tokens as the vocabulary writes them"
                + " (white space and backslash escaped).")
        boolean tokens;
        @Option(names = "--count", description = "Print the number of tokens.")
        boolean count;
    }

    @Option(names = "--lines", description = "Encode each input line on its own and print one line per input line.")
    boolean lines;

    @Option(names = "--no-special", description = "Do not add the post-processor's special tokens (BOS...).")
    boolean noSpecial;

    @Parameters(arity = "0..1", paramLabel = "TEXT", description = "The text; '-' or nothing reads standard input (UTF-8).")
    String text;

    @Override
    public Integer call() throws IOException {
        String input = text == null || text.equals("-") ? readStandardInput() : text;
        Tokenizer tok = tokenizer.load();
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        if (lines) {
            // a final line break ends the last line rather than starting an empty one
            String body = input.endsWith("\n") ? input.substring(0, input.length() - 1) : input;
            if (!input.isEmpty()) {
                for (String line : body.split("\r?\n", -1)) {
                    print(out, tok, line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
                }
            }
        } else {
            print(out, tok, input);
        }
        out.flush();
        return 0;
    }

    private void print(PrintStream out, Tokenizer tok, String line) {
        int[] ids = tok.encode(line, !noSpecial);
        if (output.count) {
            out.println(ids.length);
            return;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                s.append(' ');
            }
            if (output.tokens) {
                escape(tok.token(ids[i]), s);
            } else {
                s.append(ids[i]);
            }
        }
        out.println(s);
    }

    private static void escape(String token, StringBuilder s) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            switch (c) {
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                case ' ' -> s.append("\\s");
                default -> s.append(c);
            }
        }
    }

    /** Standard input as UTF-8; anything else is an error, not replacement characters. */
    static String readStandardInput() throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(System.in.readAllBytes());
        CharBuffer chars = CharBuffer.allocate(bytes.remaining());
        CoderResult result = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes, chars, true);
        if (result.isError()) {
            throw new UserError("standard input is not valid UTF-8: invalid byte sequence at byte offset "
                    + bytes.position());
        }
        return chars.flip().toString();
    }
}
