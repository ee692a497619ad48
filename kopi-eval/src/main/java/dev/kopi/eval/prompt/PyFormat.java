package dev.kopi.eval.prompt;

import java.util.Map;

import dev.kopi.eval.config.EvalConfigException;

/**
 * Python's {@code str.format} for the templates SEA-HELM writes: {@code {name}} fields and {@code {{}/{@code }}}
 * escapes. A field with no value is an error, as Python raises {@code KeyError}.
 */
public final class PyFormat {
    private PyFormat() {}

    public static String format(String template, Map<String, String> values, String where) {
        StringBuilder out = new StringBuilder(template.length() + 64);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{') {
                if (i + 1 < template.length() && template.charAt(i + 1) == '{') {
                    out.append('{');
                    i += 2;
                    continue;
                }
                int close = template.indexOf('}', i);
                if (close < 0) {
                    throw new EvalConfigException(where + ": unmatched '{' in template");
                }
                String field = template.substring(i + 1, close);
                int conversion = indexOfAny(field, ":!");
                if (conversion >= 0) {
                    field = field.substring(0, conversion);
                }
                String value = values.get(field);
                if (value == null) {
                    throw new EvalConfigException(where + ": template field {" + field + "} has no value (have " + values.keySet() + ")");
                }
                out.append(value);
                i = close + 1;
            } else if (c == '}') {
                if (i + 1 < template.length() && template.charAt(i + 1) == '}') {
                    out.append('}');
                    i += 2;
                    continue;
                }
                throw new EvalConfigException(where + ": single '}' in template");
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
