package dev.kopi.hub;

import java.io.Console;
import java.util.Locale;

/** Asks the user a yes/no question, such as whether to download a model now. */
@FunctionalInterface
public interface Prompt {
    /** The answer; false when nobody can answer. */
    boolean confirm(String question);

    /** Whether a person can answer at all (otherwise callers say how to proceed without asking). */
    default boolean interactive() {
        return true;
    }

    /** Asks on the terminal; without one (null, or input redirected), cannot ask. */
    static Prompt of(Console console) {
        if (console == null || !console.isTerminal()) {
            return NO_TERMINAL;
        }
        return question -> {
            String answer = console.readLine("%s [y/N] ", question);
            return answer != null && switch (answer.strip().toLowerCase(Locale.ROOT)) {
                case "y", "yes" -> true;
                default -> false;
            };
        };
    }

    /** No terminal to ask on: every answer is no. */
    Prompt NO_TERMINAL = new Prompt() {
        @Override
        public boolean confirm(String question) {
            return false;
        }

        @Override
        public boolean interactive() {
            return false;
        }
    };
}
